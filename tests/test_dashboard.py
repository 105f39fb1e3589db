from django.urls import reverse


def test_dashboard_greets_and_lists_the_coordinators_areas(client_for, coordinator, area):
    response = client_for(coordinator).get(reverse("dashboard"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<h1") == 1
    assert "Kontaktlista Samverk Sävsjö" in content
    assert "Behöver bekräftas" in content
