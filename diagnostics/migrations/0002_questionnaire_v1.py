"""Version 1 of the questionnaire, in service. Grounded in the sources listed in FACTS.md:
the 360° checks the coherence between vision, action engaged and means mobilised; the
three forms of co-construction, the four trades of territorial catalysis and the three
impacts of alliances give the questions their vocabulary."""

from django.db import migrations
from django.utils import timezone

NC = "non-concerne"
# (code, name, description, weight, questions); a question is
# (text, help, [answers worth 0, 1, 2, 3 points], allows "Non concerné", condition)
# where condition is (index of an earlier question of the same axis, minimum points).
AXES = [
    (
        "vision",
        "Vision et enjeux",
        "Les fragilités et les atouts du territoire sont-ils connus et partagés ? Existe-t-il "
        "une ambition commune ?",
        1,
        [
            (
                "Les fragilités du territoire (emploi, mobilité, isolement, environnement…) sont-elles identifiées ?",
                "Par exemple dans un diagnostic de territoire, une étude ou un échange entre acteurs.",
                [
                    "Pas vraiment",
                    "Chacun a son idée, sans mise en commun",
                    "Un diagnostic existe, porté par un seul acteur",
                    "Un diagnostic partagé par plusieurs types d’acteurs",
                ],
                False,
                None,
            ),
            (
                "Les atouts du territoire (savoir-faire, lieux, réseaux, ressources naturelles…) sont-ils identifiés ?",
                "",
                [
                    "Pas vraiment",
                    "Quelques-uns, de manière informelle",
                    "Oui, par la collectivité ou un acteur",
                    "Oui, et ils sont valorisés collectivement",
                ],
                False,
                None,
            ),
            (
                "Une ambition commune pour le territoire a-t-elle été formulée ?",
                "Ce que les acteurs veulent faire ensemble dans les années qui viennent.",
                [
                    "Non",
                    "Elle est en discussion",
                    "Oui, par la collectivité",
                    "Oui, co-écrite avec les acteurs du territoire",
                ],
                False,
                None,
            ),
            (
                "Les élus portent-ils la co-construction comme une manière d’agir ?",
                "",
                [
                    "Ce n’est pas un sujet",
                    "Quelques élus y sont sensibles",
                    "C’est un engagement de l’équipe municipale",
                    "C’est un engagement affiché, partagé avec les partenaires",
                ],
                False,
                None,
            ),
            (
                "Les habitants sont-ils associés à la définition des priorités ?",
                "",
                [
                    "Non",
                    "Ponctuellement, par une consultation",
                    "Régulièrement, par des temps d’échange",
                    "Ils participent aux décisions sur certains projets",
                ],
                True,
                None,
            ),
            (
                "Les enjeux de transition (écologique, énergétique, sociale) font-ils partie de l’ambition ?",
                "",
                [
                    "Non",
                    "Ils sont évoqués",
                    "Ils figurent dans les priorités",
                    "Ils structurent l’ambition commune",
                ],
                False,
                None,
            ),
        ],
    ),
    (
        "ecosysteme",
        "Écosystème d’acteurs",
        "Quels types d’acteurs sont impliqués et comment se connaissent-ils ?",
        1,
        [
            (
                "Les associations du territoire sont-elles impliquées dans les projets communs ?",
                "",
                [
                    "Non",
                    "Quelques-unes, ponctuellement",
                    "Plusieurs, régulièrement",
                    "Elles sont parties prenantes de la démarche",
                ],
                True,
                None,
            ),
            (
                "Les entreprises du territoire (y compris TPE, artisans, commerçants) sont-elles impliquées ?",
                "",
                [
                    "Non",
                    "Quelques-unes, ponctuellement",
                    "Plusieurs, régulièrement",
                    "Elles sont parties prenantes de la démarche",
                ],
                True,
                None,
            ),
            (
                "Les établissements d’enseignement ou de recherche sont-ils associés ?",
                "Écoles, collèges, lycées, universités, laboratoires.",
                ["Non", "Ponctuellement", "Régulièrement", "Ils sont parties prenantes"],
                True,
                None,
            ),
            (
                "Les financeurs et fondations sont-ils associés à la démarche ?",
                "",
                [
                    "Non",
                    "Nous les sollicitons projet par projet",
                    "Certains suivent la démarche",
                    "Ils sont partenaires de la démarche",
                ],
                True,
                None,
            ),
            (
                "Les acteurs du territoire se connaissent-ils ?",
                "",
                [
                    "Peu, chacun agit de son côté",
                    "Ils se croisent à quelques occasions",
                    "Ils se rencontrent régulièrement",
                    "Ils ont l’habitude de travailler ensemble",
                ],
                False,
                None,
            ),
            (
                "Existe-t-il un lieu ou un temps où tous ces acteurs se retrouvent ?",
                "Un forum, un club, des rencontres annuelles, un tiers-lieu…",
                [
                    "Non",
                    "C’est en projet",
                    "Oui, de manière occasionnelle",
                    "Oui, de manière régulière et connue de tous",
                ],
                False,
                None,
            ),
        ],
    ),
    (
        "action",
        "Action engagée",
        "Dialogue territorial, partenariats entre organisations, expérimentations collectives : "
        "les trois formes de la co-construction.",
        1,
        [
            (
                "Des temps de dialogue territorial réunissent-ils les acteurs ?",
                "Partager la connaissance du territoire et de ses acteurs, se rencontrer.",
                ["Non", "Rarement", "Plusieurs fois par an", "De manière régulière et organisée"],
                False,
                None,
            ),
            (
                "Des partenariats entre organisations existent-ils (associations, entreprises, collectivité) ?",
                "Mécénat, pratiques responsables, coopération économique ou innovation sociétale.",
                ["Non", "Un ou deux", "Plusieurs", "De nombreux, de natures différentes"],
                False,
                None,
            ),
            (
                "Des expérimentations collectives ont-elles été lancées ?",
                "Un projet conçu et piloté à plusieurs pour répondre à un besoin du territoire.",
                [
                    "Non",
                    "Une est à l’étude",
                    "Au moins une est en cours",
                    "Plusieurs, dont certaines ont été étendues",
                ],
                False,
                None,
            ),
            (
                "Les projets communs sont-ils co-pilotés ?",
                "",
                [
                    "Non, un seul acteur décide",
                    "Les partenaires sont consultés",
                    "Les décisions se prennent à plusieurs",
                    "Un pilotage partagé est formalisé",
                ],
                True,
                None,
            ),
            (
                "Les solutions trouvées sont-elles partagées ou transférées ailleurs ?",
                "",
                [
                    "Non",
                    "Elles sont racontées à l’occasion",
                    "Elles sont documentées",
                    "Elles ont inspiré d’autres territoires",
                ],
                True,
                None,
            ),
        ],
    ),
    (
        "moyens",
        "Moyens mobilisés",
        "Gouvernance, catalyseur, financement, outils et lieu : ce qui permet à la démarche "
        "de durer.",
        1,
        [
            (
                "Une gouvernance de la démarche existe-t-elle ?",
                "Un comité, un groupe de pilotage qui réunit plusieurs types d’acteurs.",
                [
                    "Non",
                    "Informelle",
                    "Oui, avec quelques acteurs",
                    "Oui, représentative des acteurs du territoire",
                ],
                False,
                None,
            ),
            (
                "Une personne ou une structure joue-t-elle le rôle de catalyseur territorial ?",
                "Celle qui fait se rencontrer les acteurs, fait émerger et accompagne les projets.",
                [
                    "Non",
                    "Quelqu’un le fait sur son temps libre",
                    "Oui, une partie de son temps",
                    "Oui, c’est une mission reconnue et financée",
                ],
                False,
                None,
            ),
            (
                "Ce catalyseur exerce-t-il plusieurs des quatre métiers de la catalyse ?",
                "Dialogue territorial, expérimentations collectives, accompagnements, gestion d’un lieu.",
                ["Un seul, partiellement", "Un seul, pleinement", "Deux ou trois", "Les quatre"],
                False,
                (1, 1),
            ),
            (
                "La démarche dispose-t-elle d’un financement ?",
                "",
                [
                    "Non",
                    "Ponctuel, projet par projet",
                    "Pluriannuel, d’un seul financeur",
                    "Pluriannuel, de plusieurs financeurs",
                ],
                False,
                None,
            ),
            (
                "Des outils communs sont-ils utilisés ?",
                "Annuaire des acteurs, cartographie, espace de partage, méthodes d’animation.",
                [
                    "Non",
                    "Quelques outils, peu utilisés",
                    "Oui, par les principaux acteurs",
                    "Oui, par l’ensemble des partenaires",
                ],
                False,
                None,
            ),
            (
                "Un lieu permet-il de se retrouver et de travailler ensemble ?",
                "Tiers-lieu, espace de coworking, maison des associations, fab lab…",
                [
                    "Non",
                    "Un lieu prêté à l’occasion",
                    "Un lieu identifié, peu animé",
                    "Un lieu animé, connu des acteurs",
                ],
                True,
                None,
            ),
        ],
    ),
    (
        "evaluation",
        "Évaluation et impacts",
        "Le suivi de la démarche et de ses effets sur les trois impacts des alliances : "
        "performance des organisations, innovation territoriale et sociétale, confiance.",
        1,
        [
            (
                "Les actions communes font-elles l’objet d’un suivi ?",
                "",
                ["Non", "Informel", "Un bilan annuel", "Des indicateurs suivis dans la durée"],
                False,
                None,
            ),
            (
                "Les partenariats sont-ils évalués avec les partenaires eux-mêmes ?",
                "L’évaluation partenariale : évaluer ensemble ce que le partenariat apporte.",
                [
                    "Non",
                    "Chacun évalue de son côté",
                    "Une évaluation commune ponctuelle",
                    "Une évaluation partagée, régulière",
                ],
                False,
                None,
            ),
            (
                "Mesurez-vous les effets sur la performance des organisations impliquées ?",
                "",
                [
                    "Non",
                    "Par des témoignages",
                    "Par quelques indicateurs",
                    "De manière suivie et partagée",
                ],
                False,
                None,
            ),
            (
                "Mesurez-vous les effets en matière d’innovation territoriale et sociétale ?",
                "",
                [
                    "Non",
                    "Par des témoignages",
                    "Par quelques indicateurs",
                    "De manière suivie et partagée",
                ],
                False,
                None,
            ),
            (
                "Mesurez-vous les effets sur la confiance entre acteurs et avec les habitants ?",
                "",
                [
                    "Non",
                    "Par des témoignages",
                    "Par quelques indicateurs",
                    "De manière suivie et partagée",
                ],
                False,
                None,
            ),
            (
                "Les résultats de l’évaluation sont-ils partagés et utilisés ?",
                "",
                [
                    "Non",
                    "Ils sont communiqués aux financeurs",
                    "Ils sont partagés avec les partenaires",
                    "Ils servent à décider de la suite, avec les partenaires",
                ],
                False,
                (1, 2),
            ),
        ],
    ),
]


def create_version_1(apps, schema_editor):
    Questionnaire = apps.get_model("diagnostics", "Questionnaire")
    Axis = apps.get_model("diagnostics", "Axis")
    Question = apps.get_model("diagnostics", "Question")
    Choice = apps.get_model("diagnostics", "Choice")
    questionnaire = Questionnaire.objects.create(
        version=1,
        title="Autodiagnostic de la co-construction territoriale",
        introduction="Cinq axes pour situer votre territoire et vérifier la cohérence entre "
        "la vision, l’action engagée et les moyens mobilisés.",
        status="publie",
        published_at=timezone.now(),
    )
    for axis_position, (code, name, description, weight, questions) in enumerate(AXES):
        axis = Axis.objects.create(
            questionnaire=questionnaire,
            code=code,
            name=name,
            description=description,
            weight=weight,
            position=axis_position,
        )
        created = []
        for position, (text, help_text, answers, not_concerned, condition) in enumerate(questions):
            question = Question.objects.create(
                axis=axis,
                text=text,
                help_text=help_text,
                position=position,
                condition_question=created[condition[0]] if condition else None,
                condition_min_points=condition[1] if condition else None,
            )
            created.append(question)
            for points, label in enumerate(answers):
                Choice.objects.create(
                    question=question, label=label, points=points, position=points
                )
            Choice.objects.create(
                question=question, label="Je ne sais pas", kind="ne-sait-pas", position=4
            )
            if not_concerned:
                Choice.objects.create(question=question, label="Non concerné", kind=NC, position=5)


def delete_version_1(apps, schema_editor):
    apps.get_model("diagnostics", "Questionnaire").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_questionnaire")]

    operations = [migrations.RunPython(create_version_1, delete_version_1)]
