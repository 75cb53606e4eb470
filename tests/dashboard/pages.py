"""Page objects for the dashboard (bedrock's pattern): tests call these, never find_element."""
from __future__ import annotations

from urllib.parse import urlencode

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait


class Page:
    URL_TEMPLATE = "/"

    def __init__(self, driver, base_url, **url_kwargs):
        self.driver, self.base_url = driver, base_url
        self.url_kwargs = url_kwargs

    def open(self, query=None):
        url = self.base_url + self.URL_TEMPLATE.format(**self.url_kwargs)
        self.driver.get(url + (f"?{urlencode(query, doseq=True)}" if query else ""))
        return self.loaded()

    def loaded(self):
        WebDriverWait(self.driver, 10).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
        return self

    def _find(self, selector, many=False):
        method = self.driver.find_elements if many else self.driver.find_element
        return method(By.CSS_SELECTOR, selector)

    def _testid(self, name, many=False):
        return self._find(f'[data-testid="{name}"]', many)

    def click_and_load(self, element, page_class=None, **kwargs):
        old = self._find("html")
        element.click()
        WebDriverWait(self.driver, 10).until(lambda d: _stale(old))
        page = (page_class or type(self))(self.driver, self.base_url, **kwargs)
        return page.loaded()

    @property
    def heading(self):
        return self._find("h1").text

    @property
    def flash(self):
        return " ".join(e.text for e in self._find(".flash", many=True))

    @property
    def text(self):
        return self._find("body").text

    @property
    def signed_in(self):
        return bool(self._testid("logout", many=True))

    def sign_out(self):
        return self.click_and_load(self._testid("logout"), LoginPage)


def _stale(element):
    try:
        element.is_enabled()
        return False
    except Exception:  # StaleElementReferenceException: the next page replaced it
        return True


class LoginPage(Page):
    URL_TEMPLATE = "/login"

    def sign_in(self, email, password):
        form = self._testid("login-form")
        form.find_element(By.NAME, "email").send_keys(email)
        form.find_element(By.NAME, "password").send_keys(password)
        return self.click_and_load(form.find_element(By.CSS_SELECTOR, "button[type=submit]"),
                                   HistoryPage)


class HistoryPage(Page):
    URL_TEMPLATE = "/"

    @property
    def run_ids(self):
        return [r.get_attribute("data-execution-id") for r in self._testid("run-row", many=True)]

    @property
    def summary(self):
        return self._testid("summary").text

    @property
    def page_info(self):
        found = self._testid("page-info", many=True)
        return found[0].text if found else None

    def filter(self, q=None, **selects):
        """Fill the filter form like a user (text in the search box, choices in the selects)."""
        form = self._testid("filters")
        if q is not None:
            box = form.find_element(By.NAME, "q")
            box.clear()
            box.send_keys(q)
        for name, label in selects.items():
            Select(form.find_element(By.NAME, name)).select_by_visible_text(label)
        return self.click_and_load(self._testid("apply-filters"))

    def next_page(self):
        return self.click_and_load(self._testid("next-page"))

    def check(self, execution_id):
        self._find(f'input[name="id"][value="{execution_id}"]').click()
        return self

    def export_ipynb(self):
        self._testid("export-ipynb").click()

    def delete_checked(self):
        return self.click_and_load(self._testid("delete-selection"), ConfirmDeletePage)

    def open_run(self, execution_id):
        link = self._find(f'[data-execution-id="{execution_id}"] td.title a')
        return self.click_and_load(link, RunPage, execution_id=execution_id)


class ConfirmDeletePage(Page):
    URL_TEMPLATE = "/runs/delete"

    @property
    def listed(self):
        return self._testid("delete-list").text

    def confirm(self):
        return self.click_and_load(self._testid("confirm-delete"), HistoryPage)


class RunPage(Page):
    URL_TEMPLATE = "/runs/{execution_id}"

    @property
    def code(self):
        return self._testid("code").text

    @property
    def output(self):
        return self._testid("output").text

    @property
    def figures(self):
        return [img.get_attribute("naturalWidth") for img in self._find(".out-figure img", many=True)]

    @property
    def live_share_count(self):
        return len(self._testid("revoke-share", many=True))

    def create_share(self):
        page = self.click_and_load(self._testid("create-share"), SharePage)
        return page.url

    def revoke_first_share(self):
        return self.click_and_load(self._testid("revoke-share"), RunPage, **self.url_kwargs)

    def delete(self):
        return self.click_and_load(self._testid("delete-run"), ConfirmDeletePage)


class SharePage(Page):
    @property
    def url(self):
        return self._testid("share-url").get_attribute("value")


class DevicesPage(Page):
    URL_TEMPLATE = "/devices"

    def _row(self, device_id):
        return self._find(f'[data-testid="device-row"][data-device-id="{device_id}"]')

    def name_of(self, device_id):
        return self._row(device_id).find_element(By.NAME, "name").get_attribute("value")

    def rename(self, device_id, name):
        row = self._row(device_id)
        box = row.find_element(By.NAME, "name")
        box.clear()
        box.send_keys(name)
        return self.click_and_load(row.find_element(By.CSS_SELECTOR, '[data-testid="rename-device"]'))


class StatsPage(Page):
    URL_TEMPLATE = "/stats"

    @property
    def drawn_charts(self):
        """Canvases Chart.js has drawn on (it registers each chart by canvas)."""
        return self.driver.execute_script(
            "return Array.from(document.querySelectorAll('canvas'))"
            ".filter(c => window.Chart && window.Chart.getChart(c) && c.offsetHeight > 0).length;")
