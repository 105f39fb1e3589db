"""The layout's fragments rendered once per process (common/templatetags/layout.py): each
user still sees their own name, organisation and roles, each page its own active menu item,
and nothing of one request reaches another."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import OrganisationFactory, UserFactory


def menu_of(client, name="dashboard"):
    page = client.get(reverse(name)).content.decode()
    return page.split('aria-label="Huvudmeny"')[1].split("</nav>")[0]


@pytest.mark.django_db
def test_each_user_sees_their_own_name_roles_and_active_page():
    region = OrganisationFactory(name="Region Testland")
    kommun = OrganisationFactory(name="Testby kommun")
    anna = UserFactory(first_name="Anna", last_name="Ek", organisation=region, is_staff=True)
    bo = UserFactory(first_name="Bo", last_name="Lind", organisation=kommun, is_staff=False)
    first, second = Client(), Client()
    first.force_login(anna)
    second.force_login(bo)

    for _ in range(2):  # the second time from memory
        mine = menu_of(first)
        theirs = menu_of(second)
        assert "Anna Ek, Region Testland" in mine and "Bo Lind" not in mine
        assert "Bo Lind, Testby kommun" in theirs and "Anna Ek" not in theirs
        assert reverse("admin:index") in mine and reverse("admin:index") not in theirs
        # Each page its own active item; the logout form keeps its own token.
        assert f'active" aria-current="page" href="{reverse("dashboard")}"' in mine
        assert 'name="csrfmiddlewaretoken"' in mine
    cases = menu_of(first, "cases:list")
    assert f'active" aria-current="page" href="{reverse("cases:list")}"' in cases
    assert f'active" aria-current="page" href="{reverse("dashboard")}"' not in cases
    mfa = menu_of(first, "mfa_index")
    assert f'active" aria-current="page" href="{reverse("mfa_index")}"' in mfa

    # A new name, organisation or role is a new render, not yesterday's.
    anna.last_name, anna.is_staff = "Berg", False
    anna.save()
    region.name = "Region Nyland"
    region.save()
    renamed = menu_of(first)
    assert "Anna Berg, Region Nyland" in renamed and "Anna Ek" not in renamed
    assert reverse("admin:index") not in renamed


@pytest.mark.django_db
def test_logged_out_pages_have_no_menu_and_no_session_data(client):
    page = client.get(reverse("login")).content.decode()
    assert "main-nav" not in page and "data-session-idle" not in page
    assert 'id="session-alert"' in page and 'id="session-warning"' not in page


def test_keyed_by_the_values_named_and_the_language():
    template = Template(
        "{% load i18n layout %}{% layout_fragment who %}{{ who }} {% translate 'Logga ut' %}"
        "{% endlayout_fragment %}"
    )
    assert template.render(Context({"who": "A"})) == "A Logga ut"
    assert template.render(Context({"who": "B"})) == "B Logga ut"
    with translation.override("en"):
        assert template.render(Context({"who": "A"})).startswith("A ")
    assert template.render(Context({"who": "A"})) == "A Logga ut"


def test_no_csrf_token_inside_a_fragment():
    with pytest.raises(TemplateSyntaxError, match="csrf_token"):
        Template("{% load layout %}{% layout_fragment %}{% csrf_token %}{% endlayout_fragment %}")
