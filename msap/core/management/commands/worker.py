"""`msap worker`: run the task queue's worker (django-tasks-db's, with msap's defaults).

Every send of msap (reminder digests, webhook deliveries) is a task stored in the database.
One `msap worker` runs one task at a time; run as many as the load needs, on this machine or on
others sharing the same PostgreSQL: each claims the next ready task with
SELECT … FOR UPDATE SKIP LOCKED, so no task runs twice at once. On SQLite (one house) the
claim takes the database's write lock: run one or two workers beside the server.
"""

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = (
        "Exécute les tâches en attente (envois de courriels, webhooks des partenaires). "
        "Un processus exécute une tâche à la fois : lancez-en plusieurs, sur cette machine ou "
        "sur d'autres partageant la même base PostgreSQL. Ctrl-C termine la tâche en cours "
        "puis s'arrête (deux fois : s'arrête tout de suite)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # msap's defaults: every queue, no autoreload (a reload kills a send in flight), a
        # worker id that names the machine's process in the task table.
        parser.set_defaults(queue_name="*", reload=False, worker_id=get_random_string(32))
        french = {
            "queue_name": "Files à traiter, séparées par des virgules ; « * » : toutes "
            "(par défaut : %(default)r). Files de msap : mail, webhooks, default.",
            "exclude_queues": "Files à ignorer, séparées par des virgules (avec --queue-name=*).",
            "interval": "Secondes d'attente quand aucune tâche n'est prête (par défaut : "
            "%(default)r).",
            "batch": "Exécute les tâches prêtes puis s'arrête (pour un planificateur ou un test).",
            "reload": "Redémarre quand le code change (développement seulement).",
            "backend_name": "Le moteur de tâches à utiliser (par défaut : %(default)r).",
            "startup_delay": "Démarre sans la petite attente aléatoire qui évite que tous les "
            "processus interrogent la base au même instant.",
            "max_tasks": "S'arrête après ce nombre de tâches (un superviseur le relance, ce qui "
            "rend sa mémoire).",
            "worker_id": "Identifiant de ce processus, unique parmi tous les processus qui "
            "partagent la base (par défaut : tiré au hasard).",
        }
        for action in parser._actions:
            if action.dest in french:
                action.help = french[action.dest]
