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

    def open_path(self, path):
        self.driver.get(self.base_url + path)
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

    def export(self):
        return self.click_and_load(self._testid("export"), ExportPage)

    def button_text(self, testid):
        return self._testid(testid).text

    def rect(self, selector):
        return self.driver.execute_script(
            "return arguments[0].getBoundingClientRect().toJSON()", self._find(selector))

    def row_label(self, execution_id):
        """(page title, site beneath it) of a row, and the time: (shown, on hover)."""
        row = self._find(f'[data-testid="run-row"][data-execution-id="{execution_id}"]')
        name = row.find_element(By.CSS_SELECTOR, '[data-testid="run-name"]')
        sites = row.find_elements(By.CSS_SELECTOR, '[data-testid="run-site"]')
        time_ = row.find_element(By.CSS_SELECTOR, "time")
        return {"name": name.text, "site": sites[0].text if sites else None,
                "name_rect": name.rect, "site_rect": sites[0].rect if sites else None,
                "time": time_.text, "time_title": time_.get_attribute("title")}

    def delete_checked(self):
        return self.click_and_load(self._testid("delete-selection"), ConfirmDeletePage)

    def open_run(self, execution_id):
        link = self._find(f'[data-execution-id="{execution_id}"] td.title a')
        return self.click_and_load(link, RunPage, execution_id=execution_id)


class ExportPage(Page):
    URL_TEMPLATE = "/export"

    @property
    def languages(self):
        """{language: (runs, kernel text)} as the page lists them."""
        rows = self._find('[data-testid="export-languages"] tbody tr', many=True)
        return {r.get_attribute("data-language"): (r.find_elements(By.TAG_NAME, "td")[1].text,
                                                    r.find_elements(By.TAG_NAME, "td")[2].text)
                for r in rows}

    def download_ipynb(self):
        self._testid("export-ipynb").click()


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

    def create_share_page(self):
        return self.click_and_load(self._testid("create-share"), SharePage)

    def create_share(self):
        return self.create_share_page().url

    def revoke_first_share(self):
        return self.click_and_load(self._testid("revoke-share"), RunPage, **self.url_kwargs)

    def delete(self):
        return self.click_and_load(self._testid("delete-run"), ConfirmDeletePage)


class SharePage(Page):
    @property
    def url(self):
        return self._testid("share-url").text

    @property
    def url_fits(self):
        """The whole link is visible: nothing cut off or scrolled away."""
        return self.driver.execute_script(
            "const e = arguments[0]; return e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight;",
            self._testid("share-url"))

    def copy(self):
        self._testid("copy-share-url").click()
        WebDriverWait(self.driver, 5).until(lambda d: self._testid("copy-status").text)
        return self._testid("copy-status").text


class DevicesPage(Page):
    URL_TEMPLATE = "/devices"

    @property
    def this_device(self):
        """The device ids marked "This device"."""
        return [r.get_attribute("data-device-id") for r in self._testid("device-row", many=True)
                if r.find_elements(By.CSS_SELECTOR, '[data-testid="this-device"]')]

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

    def chart(self, canvas_id):
        """A drawn chart: its value axes and, per dataset, its label and bar heights in px."""
        return self.driver.execute_async_script("""
            const [id, done] = arguments;
            // After the next frames: a responsive chart redraws on a resize in one.
            requestAnimationFrame(() => requestAnimationFrame(() => done(measure())));
            function measure() {
            const chart = window.Chart.getChart(document.getElementById(id));
            const axes = Object.values(chart.scales).filter((s) => s.axis === 'y');
            return {axes: axes.map((s) => ({id: s.id, type: s.type, title: s.options.title.text})),
                    bars: chart.data.datasets.map((d, i) => ({label: d.label,
                      heights: chart.getDatasetMeta(i).data.map((bar) => Math.abs(bar.base - bar.y))}))};
            }
        """, canvas_id)
