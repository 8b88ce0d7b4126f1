import re

import pytest
from playwright.sync_api import expect

from clinic.accounts.models import Role
from tests.browser.conftest import DESKTOP, PHONE, log_in
from tests.conftest import ROLES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    Role.CLIENT: "Hello",
    Role.FRONT_DESK: "Front desk",
    Role.THERAPIST: "Good day",
    Role.CLINIC_ADMIN: "Tranquil Massage Clinic",
}
PATHS = {
    Role.CLIENT: "/me/",
    Role.FRONT_DESK: "/desk/",
    Role.THERAPIST: "/therapist/",
    Role.CLINIC_ADMIN: "/manage/",
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("role", ROLES)
def test_each_role_logs_in_by_email_and_lands_on_its_home(open_page, user_of, role, viewport):
    page = open_page(viewport)
    log_in(page, user_of(role).email)
    expect(page).to_have_url(re.compile(re.escape(PATHS[role]) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(HEADINGS[role])


def test_a_wrong_password_shows_the_error_in_the_browser(open_page, front_desk_user):
    page = open_page(PHONE)
    log_in(page, front_desk_user.email, "not the password")
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")


def test_the_phone_menu_opens_from_its_button(open_page, front_desk_user):
    page = open_page(PHONE)
    log_in(page, front_desk_user.email)
    logout = page.get_by_role("button", name="Log out")
    expect(logout).to_be_hidden()
    page.get_by_text("Menu").click()
    expect(logout).to_be_visible()
