"""The contact form in a browser: it works without JavaScript, and its error state is
accessible (axe needs JavaScript, so it checks the same state in a second page)."""


def submit_with_a_bad_address(page):
    page.goto("/contact/")
    page.get_by_label("Votre adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="Envoyer le message").click()


def test_the_contact_form_works_without_javascript(new_page):
    page = new_page(java_script_enabled=False)
    submit_with_a_bad_address(page)

    summary = page.get_by_role("alert")
    assert "2 points à corriger" in summary.inner_text()
    assert page.get_by_label("Votre adresse e-mail").input_value() == "pas-une-adresse"
    page.get_by_label("Votre adresse e-mail").fill("camille@example.org")
    page.get_by_label("Votre message").fill("Bonjour, une question sur le diagnostic.")
    page.get_by_role("button", name="Envoyer le message").click()
    assert "Votre message a été envoyé" in page.get_by_role("status").inner_text()


def test_the_contact_form_errors_are_accessible(page, assert_accessible):
    submit_with_a_bad_address(page)

    summary = page.get_by_role("alert")
    summary.get_by_role("link", name="Écrivez votre message").click()
    assert page.evaluate("document.activeElement.id") == "id_message"
    assert_accessible(page)
