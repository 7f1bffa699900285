"""The controlled list of procedures per national operator (extended later by the national cell)."""

from django.db import connections

from msap.desk.models import Procedure
from msap.partners.models import Partner, ServiceCategory

# partner code -> procedures most asked about in houses (category code usually involved).
PROCEDURES = {
    "ants": [
        ("Carte d'identité, passeport : pré-demande", "B1"),
        ("Permis de conduire", "B1"),
        ("Certificat d'immatriculation (carte grise)", "B1"),
    ],
    "caf": [
        ("Prime d'activité", "B1"),
        ("RSA", "B2"),
        ("Aides au logement", "B1"),
        ("Allocations familiales", "A"),
        ("Déclaration trimestrielle de ressources", "B1"),
        ("Attestation de paiement", "B1"),
    ],
    "cpam": [
        ("Carte Vitale", "B1"),
        ("Complémentaire santé solidaire", "B2"),
        ("Compte ameli", "B1"),
        ("Indemnités journalières", "B2"),
        ("Attestation de droits", "B1"),
    ],
    "dgfip": [
        ("Déclaration de revenus", "B1"),
        ("Prélèvement à la source", "A"),
        ("Espace particulier impots.gouv", "B1"),
        ("Taxe foncière, taxe d'habitation", "B2"),
        ("Paiement, délais de paiement", "B2"),
    ],
    "carsat": [
        ("Demande de retraite en ligne", "B1"),
        ("Relevé de carrière", "B1"),
        ("Allocation de solidarité aux personnes âgées", "B2"),
    ],
    "france-travail": [
        ("Inscription", "B1"),
        ("Actualisation mensuelle", "B1"),
        ("Espace personnel et candidatures", "B1"),
        ("Rendez-vous conseiller", "B3"),
    ],
    "msa": [
        ("Prestations familiales agricoles", "B2"),
        ("Santé, arrêt de travail", "B2"),
        ("Retraite agricole", "B2"),
    ],
    "la-poste": [("Services bancaires de base", "A"), ("Identité numérique La Poste", "B1")],
    "grdf": [("Raccordement, compteur gaz", "A"), ("Chèque énergie", "B1")],
    "justice": [
        ("Aide juridictionnelle", "B2"),
        ("Casier judiciaire (bulletin n°3)", "B1"),
        ("Orientation vers un conciliateur ou point-justice", "A"),
    ],
}


def seed_procedures(using="default", **kwargs) -> None:
    if Procedure._meta.db_table not in connections[using].introspection.table_names():
        return
    partners = {p.code: p for p in Partner.objects.using(using).filter(code__in=PROCEDURES)}
    categories = {c.code: c for c in ServiceCategory.objects.using(using).all()}
    for code, items in PROCEDURES.items():
        partner = partners.get(code)
        if partner is None:
            continue
        for label, category in items:
            Procedure.objects.using(using).get_or_create(
                partner=partner, label=label, defaults={"category": categories.get(category)}
            )
