"""The booking page's contact checkboxes (templates/meetings/_contact_groups.html; built in
Python by meetings/markup.py until the page sent only the suggested contacts)."""

from django.template.loader import render_to_string


def contact_choices(groups):
    return render_to_string("meetings/_contact_groups.html", {"groups": groups})


def person(pk, name, *, unit=None, is_contact=False, checked=False):
    return {"pk": pk, "name": name, "unit": unit, "is_contact": is_contact, "checked": checked}


def test_one_fieldset_per_party_with_a_labelled_checkbox_per_person():
    html = contact_choices(
        [
            ("Försäkringskassan", [person(7, "Ali Björk", unit="Lokalt försäkringscenter")]),
            ("Sävsjö kommun", [person(9, "Eva Ek", is_contact=True, checked=True)]),
        ]
    )
    assert html.count("<fieldset") == 2
    assert '<legend class="fs-6 fw-semibold mb-1">Försäkringskassan</legend>' in html
    assert (
        '<input class="form-check-input" type="checkbox" name="contacts" value="7" id="contact-7">'
    ) in html
    label = '<label class="form-check-label" for="contact-7">'
    assert f"{label}Ali Björk, Lokalt försäkringscenter</label>" in html
    assert 'id="contact-9" checked>' in html
    assert 'Eva Ek <span class="badge text-bg-info">Samverk-kontakt</span></label>' in html
    assert html.count("Samverk-kontakt") == 1


def test_names_units_and_parties_are_escaped():
    html = contact_choices([('<b>"Part"</b>', [person(1, "<script>x</script>", unit="A & B")])])
    assert "<script>" not in html and "<b>" not in html
    assert 'data-party="&lt;b&gt;&quot;Part&quot;&lt;/b&gt;"' in html
    assert "&lt;script&gt;x&lt;/script&gt;, A &amp; B</label>" in html


def test_no_groups_no_markup():
    assert contact_choices([]) == ""
