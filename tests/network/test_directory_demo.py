"""The directory's demo content: only the pioneers the seeds name, credited with what
the source says, each labelled as demonstration; the pages follow French typography."""

from django.core.management import call_command

from network.models import Profile
from tests.site.test_french_typography import typography_faults
from tests.site.text import visible_text


def test_the_demo_directory_names_only_the_sourced_pioneers(client, db):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent

    profiles = list(Profile.objects.published().order_by("pk"))
    assert [p.name for p in profiles] == [
        "Ville de Charenton",
        "PTCE des Mureaux",
        "Les Labo des partenariats",
        "Villes au carré",
    ]
    assert Profile.objects.count() == 4
    for profile in profiles:
        assert profile.is_demo and not profile.trades and not profile.website
        assert profile.presentation.startswith("**Fiche de démonstration**")
        assert "Répondre collectivement aux défis locaux" in profile.presentation
        page = client.get(profile.get_absolute_url()).content.decode()
        assert "Donnée de démonstration" in page
        assert "L’autodiagnostic de maturité" in page  # the tool the source credits
        assert "Envoyer le message" not in page  # nobody to relay to
    charenton = client.get("/reseau/ville-de-charenton/").content.decode()
    assert "Charenton-le-Pont" in charenton and "Cas pratiques liés" in charenton
    listing = client.get("/reseau/?region=11").content.decode()
    assert "2 fiches" in listing


def test_the_directory_pages_follow_french_typography(client, db):
    call_command("load_demo", verbosity=0)
    paths = ["/reseau/", "/reseau/proposer/", "/reseau/gerer/", "/reseau/gerer/envoye/"]
    paths += ["/reseau/proposer/envoyee/", "/reseau/gerer/supprimee/"]
    paths += [profile.get_absolute_url() for profile in Profile.objects.all()]
    for path in paths:
        faults = typography_faults(visible_text(client.get(path).content.decode()))
        assert not faults, (path, faults)
    errors = client.post("/reseau/proposer/", {"email": "x", "communes_text": "Nullepart"})
    faults = typography_faults(visible_text(errors.content.decode()))
    assert not faults, faults


def test_the_privacy_page_says_what_the_directory_keeps_and_how_long(client, db):
    page = client.get("/donnees-personnelles/").content.decode()
    assert "Les fiches de l’annuaire des catalyseurs" in page
    assert "une empreinte chiffrée de votre adresse" in page
    assert "Une fiche de l’annuaire non confirmée est effacée après 7 jours" in page
    assert "Les traces des messages envoyés par l’annuaire sont effacées après 30 jours." in page
