"""The national quality charter of the Maisons de services au public, as the convention-cadre
gives it: the public wording of §4.1, what the public can expect (§4.2), and the means and the
evidence of annex 5 (the vademecum), item by item. The public wording and the group titles are
marked for translation (shown on every house page); the rest stays the seed's French."""

from django.db import migrations
from django.utils.translation import gettext_noop as _

SOURCE = "Convention-cadre de Maison de services au public, annexes 4 et 5"

GROUPS = {
    1: _('Un accès facilité à la Maison de services au public et à ses partenaires'),
    2: _('Un accueil attentif et courtois'),
    3: _('Une réponse à vos demandes dans un délai annoncé'),
    4: _('Une réponse systématique à vos réclamations'),
    5: _('A votre écoute pour progresser'),
}

# (code, group, optional, wording, description, means, means_partners, evidence)
COMMITMENTS = [
    (
        '1',
        1,
        False,
        _(
            'Nous vous informons sur les conditions d’accès et d’accueil dans notre Maison '
            'de services au public.'
        ),
        (
            'Les horaires sont clairement présentés à l’entrée de la MSAP.\n'
            '\n'
            'Les lieux d’accueil alentours (mairies, organismes sociaux … partenaires ou pas '
            "de la MSAP) disposent d’affiches personnalisables, c'est-à-dire indiquant les "
            'MSAP les plus proches, ainsi que de dépliants d’informations grand public.\n'
            '\n'
            'La présente Charte de qualité est disponible dans la Maison de services au '
            'public.\n'
            '\n'
            'La préfecture, mais aussi les autres partenaires de la MSAP mettront en ligne '
            'sur leur site Internet la liste des MSAP du département avec leurs horaires '
            'd‘ouverture ainsi que la présente charte de qualité.\n'
            '\n'
            'La Maison de services au public est ouverte au moins 24 heures par semaine, '
            'réparties sur au moins trois jours.'
        ),
        (
            'Elaboration de supports d’information sur les modalités d’accès et conditions '
            'd’accueil, selon la charte graphique définie pour les Maisons de services au '
            'public.\n'
            '\n'
            'L’agent d’accueil veille à l’affichage et à la disponibilité des supports.'
        ),
        'Néant.',
        'Autoévaluations régulières effectuée par l’agent d’accueil.',
    ),
    (
        '2',
        1,
        False,
        _(
            'Nous vous informons sur vos droits et sur les conditions d’accomplissement de '
            'vos démarches.'
        ),
        (
            'L’agent de la MSAP analyse votre situation pour vous fournir l’information '
            'répondant à votre demande, ou pour déterminer les prestations auxquelles vous '
            'pouvez avoir accès.\n'
            '\n'
            'L’agent de la MSAP conseille l’usager sur la recherche d’information, sur la '
            'réglementation applicable. Si nécessaire, il lui donne des explications sur les '
            'contraintes et demandes administratives.'
        ),
        (
            'L’agent d’accueil de la Maison de services au public délivre des informations '
            'exactes et pertinentes aux usagers. Il remet aux usagers les documents '
            'répondant à sa demande. Il a pour cela à sa disposition:\n'
            '\n'
            '- le matériel bureautique nécessaire (ordinateur connecté, si possible en haut '
            'débit, à Internet, imprimante multifonctions, téléphone avec répondeur) ; ce '
            'matériel est maintenu en bon état de fonctionnement,\n'
            '\n'
            '- les supports de formations dispensées par les organismes partenaires,\n'
            '\n'
            '- les sites Internet des organismes partenaires (pour les informations, mais '
            'aussi pour l’accès au suivi de dossier de l’usager lorsque ce service y est '
            'disponible et sous le contrôle et la responsabilité de l’usager),\n'
            '\n'
            '- la documentation (prospectus, brochures …) fournie par les organismes '
            'partenaires.\n'
            '\n'
            'En aucun cas il ne peut prendre position sur l’octroi de telle ou telle '
            'prestation dont il n’est pas décisionnaire.\n'
            '\n'
            'Il peut toutefois aider l’usager à constituer son dossier (voir engagement n° '
            '3).\n'
            '\n'
            'En cas de doute, il dispose d’un annuaire des référents Métier désignés par les '
            'partenaires par domaine de compétence, pour faire appel à leur aide (voir '
            'engagement n° 4).'
        ),
        (
            'Ils reçoivent l’agent d’accueil de la Maison de services au public pour un bref '
            'stage de formation initiale aux grands principes de leur réglementation et de '
            'leurs démarches et à l’organisation de leurs services (formation d’au moins '
            'trois jours environ) et contribuent à sa formation continue. Par exemple, une '
            'session de rappel pourra être organisée 3 ou 4 mois après la formation '
            'initiale.\n'
            '\n'
            'Il est recommandé d’organiser également une visite des locaux des services du '
            'partenaire ainsi qu’une rencontre des référents Métier (voir engagement n°4).\n'
            '\n'
            'Ils fournissent à la Maison de services au public un support complet de '
            'formation (auquel l’agent pourra se référer), la documentation nécessaire '
            'actualisée sous la forme d’outil de communication pour mise à disposition du '
            'public et éventuellement, si cela existe, une base documentaire pour l’agent '
            'd’accueil.'
        ),
        (
            'Planning et émargement des formations organisées.\n'
            '\n'
            'Évaluation par les organismes partenaires (à prévoir dans le cadre du '
            'dispositif d’évaluation de la MSAP).\n'
            '\n'
            'Enquête auprès des usagers (à prévoir dans le cadre du dispositif d’évaluation '
            'de la MSAP).'
        ),
    ),
    (
        '3',
        1,
        False,
        _(
            'Nous facilitons la constitution de vos dossiers et les transmettons aux '
            'organismes compétents.'
        ),
        (
            'L’agent d’accueil de la MSAP vous apporte son aide pour l’accomplissement des '
            'démarches auprès des organismes partenaires.\n'
            '\n'
            'Il détermine avec vous le mode d’accomplissement de la démarche : télé '
            'procédure ou constitution d’un dossier papier.\n'
            '\n'
            'Cas d’une télé procédure : l’agent d’accueil vous accompagne dans la '
            'réalisation de la télé procédure. Il vous appartient de valider votre télé '
            'déclaration.\n'
            '\n'
            'Cas d’un dossier papier :\n'
            '\n'
            '- L’agent d’accueil fournit les formulaires et notices appropriées,\n'
            '\n'
            '- Il vous explique le langage et les grands principes administratifs relatifs à '
            'la démarche,\n'
            '\n'
            '- Il donne les informations et explications nécessaires à l’usager pour remplir '
            'les formulaires et compléter le dossier (pièces justificatives),\n'
            '\n'
            '- Il vous appartient de valider et signer votre formulaire,\n'
            '\n'
            '- Une fois le dossier constitué, l’agent d’accueil vérifie qu’il est complet et '
            'peut le communiquer à l’organisme compétent.'
        ),
        (
            'Tenue du stock des formulaires et notices, et/ou connaissance des moyens '
            'permettant de les imprimer à la demande.\n'
            '\n'
            'Connaissance par l’agent d’accueil des télé-procédures existantes.\n'
            '\n'
            'Etablissement d’une fiche de transmission accompagnant les dossiers papier '
            'transmis, dans laquelle il peut indiquer toute information complémentaire utile.'
        ),
        (
            'Fournitures des formulaires et notices.\n'
            '\n'
            'Dans le cadre de la formation dispensée :\n'
            '\n'
            '- Formation à la constitution des dossiers relatifs à leurs démarches,\n'
            '\n'
            '- Formation des agents à l’utilisation des télé-procédures existantes.'
        ),
        (
            'Evaluation par les organismes partenaires sur la qualité, conformité, '
            'complétude des dossiers transmis (à prévoir dans le cadre du dispositif '
            'd’évaluation de la MSAP).\n'
            '\n'
            'Enquête auprès des usagers (à prévoir dans le cadre du dispositif d’évaluation '
            'de la MSAP).'
        ),
    ),
    (
        '3 bis',
        1,
        False,
        _(
            'Nous mettons à votre disposition du matériel vous permettant d’effectuer '
            'certaines démarches à distance et de manière autonome.'
        ),
        (
            'Un ou plusieurs des équipements suivants peuvent être mis à votre disposition '
            'dans la Maison de services au public :\n'
            '\n'
            '- un point multimédia connecté à Internet, ou borne multiservice,\n'
            '\n'
            '- un équipement de visiocommunication.\n'
            '\n'
            'Ces équipements sont installés pour pouvoir être utilisés dans de bonnes '
            'conditions de discrétion.\n'
            '\n'
            'Si nécessaire, l’animateur de la MSAP vous apporte une aide technique pour la '
            'manipulation des appareils, mais aussi pour la navigation sur les sites '
            'Internet des organismes partenaires.\n'
            '\n'
            'En cas de panne, le matériel est remis en état de marche dans le meilleur délai.'
        ),
        (
            'Installation des équipements et formation de l’agent d’accueil à leur '
            'manipulation.\n'
            '\n'
            'L’agent de la MSAP signale immédiatement tout dysfonctionnement de ces '
            'appareils, il veille à leur utilisation correcte, dans de bonnes conditions (ne '
            'mettant pas en péril leur fonctionnement) et selon les horaires convenus pour '
            'le matériel de visiocommunication.'
        ),
        (
            'Si choix d’une installation permettant la visiocommunication : disposition des '
            'équipements appropriés et formation des agents concernés par leur utilisation à '
            'la manipulation des appareils. L’agent qui assure la permanence est disponible '
            'dans la tranche horaire définie, il a le niveau de compétences requis.'
        ),
        'Contrats de maintenance garantissant un entretien régulier des équipements.',
    ),
    (
        '3 ter',
        1,
        True,
        _(
            'Votre Maison de services au public peut organiser des déplacements d’un de ses '
            'agents sur certains lieux de vie (variante mobile).'
        ),
        (
            'De manière optionnelle, il est possible d’organiser des déplacements d’un des '
            'agents de votre MSAP sur certains lieux de vie : pour assurer le service lors '
            'd’un jour de marché, ou pour se rendre dans un hôpital, une maison de retraite '
            '…\n'
            '\n'
            'Le service offert est alors le même que dans la Maison de services au public.'
        ),
        (
            'Le matériel mis à disposition de l’agent qui se déplace dans ces lieux de vie '
            'est adapté aux conditions de réalisation de sa mission : ordinateur portable, '
            'moyen de se connecter au réseau Internet dans le lieu où il se déplace, moyen '
            'de communication (téléphone) avec sa MSAP et avec les référents Métier des '
            'organismes partenaires.\n'
            '\n'
            'Le service rendu aux usagers dans cette variante mobile optionnelle ne doit '
            'entraîner aucune régression par rapport au service qui est rendu aux usagers '
            'dans la MSAP elle-même.\n'
            '\n'
            'Le fait que la MSAP ait choisi d’offrir cette variante mobile optionnelle ne '
            'doit pas entrainer une ouverture de la MSAP de moins de 24 heures par semaine, '
            'réparties sur trois jours.'
        ),
        'Néant',
        (
            'Planning des déplacements prévus de la variante mobile de la MSAP.\n'
            '\n'
            'Enquête auprès des usagers (à prévoir dans le cadre du dispositif d’évaluation '
            'de la MSAP).'
        ),
    ),
    (
        '4',
        1,
        False,
        _('Nous associons les organismes partenaires à l’analyse de votre situation.'),
        (
            'Si votre situation présente une complexité particulière, l’agent de la MSAP '
            'peut consulter en temps réel les organismes partenaires.\n'
            '\n'
            'En fonction des informations données par ces organismes partenaires, il peut '
            'vous indiquer le délai prévisionnel du traitement de son dossier.'
        ),
        (
            'L’agent d’accueil de la Maison de services au public applique de manière '
            'pertinente et efficace les procédures fixées pour les relations entre la Maison '
            'de services au public et chaque organisme public.\n'
            '\n'
            'Il veillera notamment à ne pas faire systématiquement appel aux référents '
            'Métier, mais seulement lorsque la demande de l’usager le justifie.\n'
            '\n'
            'Il peut dans certains cas adresser par son intermédiaire un courrier d’un '
            'usager à un organisme partenaire (courrier postal ou courriel).'
        ),
        (
            'Les organismes partenaires nomment un ou plusieurs référents Métier dans leur '
            'structure. Pour chacun d’entre eux, il fournit à la MSAP ses nom et prénom, sa '
            'ligne directe (non surtaxée), son fax, son courriel, ses coordonnées postales '
            'et son domaine précis d’expertise.\n'
            '\n'
            'Les référents Métier sont informés de leur rôle et aptes à répondre aux '
            'demandes de renseignements ou d’intervenions de l’agent d’accueil de la MSAP. '
            'Lorsque la demande de l’usager le nécessite, le référent Métier peut lui '
            'proposer un rendez-vous avec la personne ad hoc de son administration (voir '
            'engagement n° 5).\n'
            '\n'
            'Les organismes s’assurent de l’adaptation des horaires des référents et de ceux '
            'de la Maison de services au public. Ils s’assurent que ces référents pourront '
            'répondre au téléphone sans délai d’attente important aux demandes de l’agent '
            'd’accueil de la Maison de services au public et de l’usager présent à la MSAP.\n'
            '\n'
            'Les organismes fixent les dates limites de réponse aux courriers ou courriels '
            'adressés par les usagers par l’intermédiaire d’une Maison de services au public.'
        ),
        (
            'Constitution d’un annuaire (maintenu à jour) des référents Métier par domaine '
            'de compétence.\n'
            '\n'
            'Existence de procédures définissant les règles de relation entre l’agent de la '
            'MSAP et les référents Métier (ces procédures peuvent prévoir des bilans '
            'réguliers avec les organismes partenaires sur la qualité de fonctionnement de '
            'ces relations).'
        ),
    ),
    (
        '5',
        1,
        False,
        _(
            'Nous préparons la prise en charge de vos demandes par les organismes '
            'partenaires.'
        ),
        (
            'Si votre demande le nécessite, l’agent d’accueil de la MSAP peut vous organiser '
            'un rendez-vous avec la personne compétente de l’organisme partenaire.\n'
            '\n'
            'La Maison de services au public vous aide à préparer ce rendez-vous, en vous '
            'indiquant précisément le nom de la personne avec laquelle vous avez '
            'rendez-vous, ses coordonnées, les éléments et pièces justificatives à apporter.'
        ),
        (
            'Après avoir fait appel au référent Métier d’un organisme partenaire et si la '
            'situation de l’usager le justifie, un rendez-vous pourra être pris pour '
            'l’usager avec une personne du service compétent de l’organisme.\n'
            '\n'
            'En aucun cas la Maison de services au public ne doit être réduite à un bureau '
            'de prise de rendez-vous avec les organismes partenaires.\n'
            '\n'
            'L’agent de la MSAP prépare donc l’usager à son rendez-vous : lieu, horaire et '
            'nom de la personne, ainsi qu’information sur la documentation et pièces '
            'justificatives à apporter lors du rendez-vous.'
        ),
        (
            'Dans le cadre d’un appel à un référent Métier et si la demande de l’usager le '
            'nécessite, l’organisme s’engage à lui proposer un rendez-vous avec la personne '
            'compétente, plutôt qu’à l’inviter à se rendre de manière anonyme à ses guichets '
            'd’accueil.\n'
            '\n'
            'Les organismes partenaires accueillent l’usager qui a pris un rendez-vous par '
            'l’intermédiaire d’une Maison de services au public et lui facilitent ses '
            'démarches : respect de l’horaire du rendez-vous, le rendez-vous est assuré par '
            'la bonne personne, dont les compétences sont adéquates avec la demande de '
            'l’usager.\n'
            '\n'
            'Ils indiquent à l’usager le délai prévisionnel de traitement de leur dossier.'
        ),
        (
            'Planning des rendez-vous pris par l’animateur d’accueil de la MSAP pour des '
            'usagers.\n'
            '\n'
            'Enquête usagers et évaluation par les organismes partenaires (à prévoir dans le '
            'cadre du dispositif d’évaluation de la MSAP).'
        ),
    ),
    (
        '6',
        1,
        False,
        _(
            'Nous facilitons l’accomplissement des démarches pour les personnes à mobilité '
            'réduite.'
        ),
        (
            'Selon la configuration physique des locaux de la Maison de services au public, '
            'des équipements appropriés sont mis en place pour recevoir les personnes à '
            'mobilité réduite (exemples : rampes d’accès, ascenseurs, points d’accueil au '
            'rez-de-chaussée ou à proximité).\n'
            '\n'
            'En cas d’impossibilité d’adapter les locaux, une organisation appropriée sera '
            'obligatoirement mise en oeuvre pour être en mesure de recevoir les personnes à '
            'mobilité réduite.'
        ),
        (
            'Aménagements appropriés et/ou procédure spécifique prévue pour l’accueil des '
            'personnes à mobilité réduite.'
        ),
        (
            'Information de l’agent de la MSAP sur les dispositions existant dans leurs '
            'propres locaux sur l’accueil des personnes à mobilité réduite.'
        ),
        (
            'Consultation d’une association représentative des handicapés moteurs pour '
            'vérifier la pertinence des\n'
            '\n'
            'dispositions prises pour l’accueil des personnes à mobilité réduite dans les '
            'locaux de la MSAP.'
        ),
    ),
    (
        '7',
        1,
        False,
        _('Nous accueillons de manière adaptée les personnes en difficulté.'),
        (
            'L’agent d’accueil de la MSAP est sensibilisé aux difficultés rencontrées par '
            'certains publics spécifiques (handicaps visuel ou auditif, personnes en '
            'difficulté sociale, illettrisme, personnes ne maîtrisant pas la langue '
            'française, personnes en situation de crise …) et à certains principes de '
            'comportement à adopter avec ces publics spécifiques.'
        ),
        (
            'Formation et/ou mise à disposition de l’agent d’accueil de la MSAP de documents '
            'apportant informations et recommandations sur l’accueil des publics en '
            'difficulté (par exemple, addendum au guide de la charte Marianne sur l’accueil '
            'des personnes en difficulté).\n'
            '\n'
            'Formation spécifique à la gestion des situations conflictuelles à l’accueil.'
        ),
        'Néant',
        (
            'Présence de l’addendum au guide spécifique de la Charte Marianne sur l’accueil '
            'des personnes en difficulté, ou d’un document équivalent.'
        ),
    ),
    (
        '8',
        2,
        False,
        _(
            'Nous vous accueillons avec courtoisie et vous donnons le nom de votre '
            'interlocuteur.'
        ),
        (
            'Accueil physique :\n'
            '\n'
            '- Vous êtes accueilli dans la MSAP par un mot de bienvenue, en faisant preuve '
            'de courtoisie,\n'
            '\n'
            '- L’agent d’accueil de la MSAP est disponible pour écouter vos demandes,\n'
            '\n'
            '- L’agent de la MSAP est identifié par ses prénom et nom (cavalier, badge …),\n'
            '\n'
            '- Tous les agents prennent congé par une formule de politesse du type :\n'
            '\n'
            '« au revoir Madame », « au revoir Monsieur » ou « au revoir, bonne journée ».\n'
            '\n'
            'Accueil téléphonique\xa0:\n'
            '\n'
            'Au téléphone, l’agent vous accueille par une formule du type : « Maison de '
            'services au public de X, prénom, nom, bonjour ».'
        ),
        (
            'Formation de l’agent de la MSAP à l’accueil.\n'
            '\n'
            'Mise en place de cavalier, badge ou autre support permettant d’identifier la '
            'personne qui assure l’accueil de la MSAP.'
        ),
        'Néant',
        (
            'Attestation de formation.\n'
            '\n'
            'Procédure d’accueil physique et téléphonique.\n'
            '\n'
            'Existence de supports d’identification pour l’agent de la MSAP.\n'
            '\n'
            'Enquête auprès des usagers (à prévoir dans le cadre du dispositif d’évaluation '
            'de la MSAP).'
        ),
    ),
    (
        '9',
        2,
        False,
        _('Nous veillons au confort de l’espace d’accueil et d’attente.'),
        (
            'L’espace d’accueil et d’attente est propre (ex : pas de salissure au sol, '
            'absence de poussière sur les meubles), bien rangé (ex : les guichets ne sont '
            'pas encombrés, les documents sur les présentoirs sont classés…) et bien '
            'éclairé.\n'
            '\n'
            'L’espace d’attente comporte au minimum des sièges en bon état.'
        ),
        (
            'Présence de manière ordonnée et classée de la documentation fournie par les '
            'organismes partenaires.\n'
            '\n'
            'Réalisation d’une procédure d’ouverture et fermeture de la MSAP, instituant une '
            'mise en ordre systématique.\n'
            '\n'
            'Entretien des locaux de la MSAP.'
        ),
        'Néant',
        'Planning d’entretien des espaces d’accueil.',
    ),
    (
        '10',
        2,
        False,
        _(
            'Nous vous accueillons en toute confidentialité lorsque nous devons traiter des '
            'situations personnelles difficiles.'
        ),
        (
            'La Maison de services au public dispose d’un espace où vous pouvez être reçu en '
            'étant isolé de l’espace d’accueil, si la particularité de votre situation '
            'nécessite la conduite d’un entretien confidentiel.'
        ),
        (
            'Aménagement d’un espace isolé de l’espace d’accueil offrant un minimum de '
            'confidentialité à l’usager.'
        ),
        'Néant',
        'Existence de cet espace (qui fait partie de critères du cahier des charges).',
    ),
    (
        '11',
        3,
        False,
        _('Nous répondons à vos courriers dans un délai maximum d’un mois.'),
        (
            'Dans le cas où la Maison de services au public reçoit votre demande par '
            'courrier, il y répond dans un délai maximum d’un mois :\n'
            '\n'
            '- soit par une réponse sur le fond,\n'
            '\n'
            '- soit, si votre demande le nécessite et dépasse le champ de compétence de la '
            'MSAP, par une réponse vous orientant sur le référent Métier compétent, en '
            'fournissant le nom et le prénom de la personne ainsi que ses coordonnées '
            'postales, électroniques et téléphoniques.\n'
            '\n'
            'Sont exclus de ce principe de réponse à tous les courriers : les courriers '
            'ayant un caractère injurieux, farfelu ou de proposition commerciale.\n'
            '\n'
            'Toutefois, nous rappelons que la mission centrale des Maisons de services au '
            'public est l’accueil physique des usagers.'
        ),
        (
            'Sensibilisation des agents de la MSAP à la nécessité de lisibilité et clarté '
            'des courriers, privilégiant un langage et une mise en page adaptés. Les '
            'courriers doivent comporter les nom, prénom, numéro de téléphone de l’agent de '
            'la MSAP chargé du dossier, ainsi que les coordonnées de la MSAP (adresses '
            'postale et électronique, téléphone), horaires d’ouverture de la MSAP.'
        ),
        (
            'Les référents métier indiquent à l’agent de la MSAP les coordonnées (postales, '
            'téléphoniques, électroniques) à communiquer aux usagers.'
        ),
        (
            'Procédure d’enregistrement du courrier arrivée et départ.\n'
            '\n'
            'Indicateur de suivi du courrier.'
        ),
    ),
    (
        '12',
        3,
        False,
        _('Nous répondons à vos courriels dans un délai maximum d’une semaine.'),
        (
            'Si la Maison de services au public reçoit votre demande par courriel, elle y '
            'répond dans un délai maximum d’une semaine :\n'
            '\n'
            '- soit par une réponse sur le fond ;\n'
            '\n'
            '- soit, si votre demande le nécessite et dépasse le champ de compétence de la '
            'MSAP, par une réponse l’orientant sur le référent Métier compétent, en '
            'fournissant le nom et le prénom de la personne ainsi que ses coordonnées '
            'postales, électroniques et téléphoniques.\n'
            '\n'
            'L’adresse électronique à laquelle vous pouvez vous adresser est indiquée sur '
            'les documents envoyés par la MSAP.\n'
            '\n'
            'Sont exclus de ce principe de réponse à tous les courriels : les messages ayant '
            'un caractère injurieux, farfelu, d’envois automatiques ou de proposition '
            'commerciale, ceux sans adresse courriel correcte.\n'
            '\n'
            'Toutefois, nous rappelons que la mission centrale des Maisons de services au '
            'public est l’accueil physique des usagers.'
        ),
        (
            'Sensibilisation des agents de la MSAP à la nécessité de lisibilité et clarté '
            'des courriels, privilégiant un langage et une mise en page adaptés. Les '
            'courriels doivent comporter les nom, prénom, numéro de téléphone de l’agent de '
            'la MSAP chargé du dossier, ainsi que les coordonnées de la MSAP (adresses '
            'postale et électronique, téléphone), horaires d’ouverture de la MSAP.'
        ),
        (
            'Les référents métier indiquent à l’agent de la MSAP les coordonnées (postales, '
            'téléphoniques, électroniques) à communiquer aux usagers.'
        ),
        'Enregistrements, indicateurs de suivi des courriels.',
    ),
    (
        '13',
        3,
        False,
        _('Nous répondons à vos appels téléphoniques en moins de 5 sonneries.'),
        (
            "Pendant les horaires d'ouverture, les appels téléphoniques sont pris en charge "
            'en moins de cinq sonneries, ou par un répondeur, si l’agent est occupé.\n'
            '\n'
            'La MSAP s’engage alors à vous rappeler dans un délai d’une semaine.\n'
            '\n'
            'Hors des horaires d’ouverture : un répondeur donne les informations minimum '
            'd’horaires d’ouverture.\n'
            '\n'
            'Toutefois, nous rappelons que la mission centrale des Maisons de services au '
            'public est l’accueil physique des usagers.'
        ),
        'Disposer d’un répondeur activé en dehors des horaires d’ouverture.',
        'Néant',
        (
            'Enquête usagers et évaluation par les organismes partenaires (à prévoir dans le '
            'cadre du dispositif d’évaluation de la MSAP).'
        ),
    ),
    (
        '14',
        4,
        False,
        _(
            'Nous vous informons sur les moyens de formuler vos réclamations et leur '
            'apportons une réponse systématique.'
        ),
        (
            'Vous pouvez formuler une réclamation par courrier directement auprès de votre '
            'Maison de services au public.\n'
            '\n'
            'La MSAP s’engage à répondre sur le fond aux réclamations dans un délai maximum '
            'd’un mois dans la mesure où vous avez précisé vos coordonnées postales.'
        ),
        (
            'Pour la Cellule nationale de d’animation des MSAP:\n'
            '\n'
            'Une procédure de réponse aux réclamations est mise en place.'
        ),
        'Néant',
        (
            'Registre des réclamations et réponses apportées.\n'
            '\n'
            'Indicateurs de suivi des réponses aux réclamations, pour tous les destinataires '
            'potentiels des réclamations des usagers.'
        ),
    ),
    (
        '15',
        5,
        False,
        _(
            'Nous mesurons annuellement la satisfaction des usagers et vous informons des '
            'résultats.'
        ),
        (
            'Tous les ans une enquête sur votre satisfaction et vos attentes est réalisée au '
            'niveau de votre MSAP et/ou de votre département.\n'
            '\n'
            'Les résultats de cette enquête sont exploités et donnent lieu à une information '
            '(exemple : par voie d’affichage, de lettre d’information) et à des actions '
            'd’amélioration.\n'
            '\n'
            'De plus, chaque MSAP dispose d’un registre, pour que vous puissiez y consigner '
            'vos remarques et suggestions par rapport à ce service.'
        ),
        (
            'Dans un souci permanent d’amélioration de la qualité des MSAP, chaque Maison :\n'
            '\n'
            '- met en place un dispositif précis de recueil des fréquentations de sa Maison,\n'
            '\n'
            '- rend compte aux organismes publics des difficultés dans la relation avec eux '
            'de manière constructive pour pouvoir innover,\n'
            '\n'
            '- recherche et suscite constamment les adaptations et améliorations des '
            'procédures,\n'
            '\n'
            '- coopère au dispositif d’évaluation des MSAP ;\n'
            '\n'
            '- participe à une réunion de bilan annuelle sur les activités des Maison de '
            'services au public du département\xa0;\n'
            '- la MSAP met à disposition des usagers d’un registre de remarques et '
            'suggestions, et collecte de ce registre pour actions par la cellule '
            'départementale d’animation des MSAP.\n'
            'Pour la Cellule départementale d’animation des MSAP :\n'
            'Mise en œuvre d’un dispositif d’évaluation de la MSAP, prenant en compte les '
            'différentes cibles : les usagers, les agents des Maisons, mais aussi les agents '
            'des organismes partenaires, les élus et responsables des organismes '
            'partenaires.\n'
            'Organisation d’un comité de pilotage annuel avec tous les partenaires du '
            'département.'
        ),
        (
            'Les organismes partenaires participent au dispositif d’évaluation des Maisons '
            'de services au public. Ils participent également au comité de pilotage des MSAP.'
        ),
        (
            'Analyse des résultats et plan d’actions d’amélioration annuel.\n'
            '\n'
            'Plan de communication sur l’analyse des résultats.\n'
            '\n'
            'Compte-rendu des comités de pilotage.'
        ),
    ),
]


def load_the_charter(apps, schema_editor):
    CharterVersion = apps.get_model("charter", "CharterVersion")
    Commitment = apps.get_model("charter", "Commitment")
    # The convention-cadre of the MSAP (loi NOTRe, 2015): the only version so far.
    version = CharterVersion.objects.create(
        title="Charte nationale de qualité des Maisons de services au public",
        in_force_from=2015,
        source=SOURCE,
    )
    Commitment.objects.bulk_create(
        Commitment(
            version=version,
            code=code,
            group=group,
            group_title=GROUPS[group],
            optional=optional,
            wording=wording,
            description=description,
            means=means,
            means_partners=means_partners,
            evidence=evidence,
            order=order,
        )
        for order, (
            code,
            group,
            optional,
            wording,
            description,
            means,
            means_partners,
            evidence,
        ) in enumerate(COMMITMENTS, start=1)
    )


def unload_the_charter(apps, schema_editor):
    apps.get_model("charter", "CharterVersion").objects.filter(in_force_from=2015).delete()


class Migration(migrations.Migration):
    dependencies = [("charter", "0001_charter_versions_and_commitments")]

    operations = [migrations.RunPython(load_the_charter, unload_the_charter)]
