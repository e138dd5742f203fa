"""The desk in a real browser: headless Chromium driven by Selenium, with axe-core's checks.

    python3 Scripts/browser_test.py BASE_URL SCREENSHOT_FOLDER

Exits non-zero with a one-line reason at the first thing that is wrong.
"""
import os
import sys

import axe_selenium_python
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, SHOTS = sys.argv[1], sys.argv[2]
PASSWORD = "sinmungo-demo"
AXE = open(os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js")).read()
checked_pages = []


def fail(message):
    print(f"browser-test: {message}", file=sys.stderr)
    sys.exit(1)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600", "--lang=ko-KR"]:
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def check_accessibility(driver, name):
    """axe-core's WCAG 2 A and AA rules (KWCAG 2.2 follows WCAG 2.1 AA); no violation allowed."""
    driver.execute_script(AXE)
    result = driver.execute_script(
        'return axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}})')
    violations = result["violations"]
    if violations:
        details = "; ".join(f'{v["id"]} ({len(v["nodes"])}): {v["nodes"][0]["html"][:120]}' for v in violations)
        fail(f"{name}: accessibility violations: {details}")
    checked_pages.append(name)


def shot(driver, name):
    driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))
    check_accessibility(driver, name)


def wait_for_next_page(driver, element):
    """Waits until `element` has left the document, as it does when a form's answer loads.

    Chromium sometimes answers the check on a node of the page being replaced with an
    inspector error instead of a stale-element one; both mean the old page is gone.
    """
    def gone(_):
        try:
            element.is_enabled()
            return False
        except WebDriverException:
            return True
    WebDriverWait(driver, 20).until(gone)


def sign_in(driver, officer):
    driver.get(BASE + "/sign-in")
    driver.find_element(By.ID, "officer").send_keys(officer)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    button = driver.find_element(By.CSS_SELECTOR, "form button[type=submit]")
    button.click()
    wait_for_next_page(driver, button)


def submit(driver, action, fields):
    form = driver.find_element(By.CSS_SELECTOR, f'form[action="{action}"]')
    for name, value in fields.items():
        element = form.find_element(By.NAME, name)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    # The click returns before the next page has loaded: wait until the form's page is gone.
    wait_for_next_page(driver, form)


def file_petition(driver, title):
    driver.get(BASE + "/new")
    submit(driver, "/new/petition", {"title": title, "category": "도시", "petitioner": "가상인", "contact": "010-0000-4321"})
    if "/cases/" not in driver.current_url:
        fail(f"filing did not open the new case: {driver.current_url}")
    return driver.current_url.split("/cases/")[1].split("?")[0]


officer = browser()
try:
    sign_in(officer, "ydp-0412")
    shot(officer, "01-work-list")
    case = file_petition(officer, "도림천 산책로 야간 조명 설치 요청")
    shot(officer, "02-filed")
    for step, fields in [
        ("review", {"department": "치수과"}),
        ("visit", {"place": "도림천 신도림역 구간", "findings": "가로등 간격 80m"}),
        ("answer", {"summary": "야간 조명 24기 추가 설치", "by": "department"}),
        ("reflect", {"outcome": "adopted", "policy": "도림천 야간 안심 조명 사업"}),
    ]:
        submit(officer, f"/cases/{case}/steps/{step}", fields)
        if "기록했습니다" not in officer.page_source:
            fail(f"{step} on {case} was not recorded: {officer.find_element(By.TAG_NAME, 'main').text[:200]}")
    offered = [f.get_attribute("action") for f in officer.find_elements(By.CSS_SELECTOR, 'form[action*="/steps/"]')]
    if "반영 결과 기록" not in officer.page_source or any("erasure" not in action for action in offered):
        fail(f"{case} did not end reflected with no casework step left: {offered}")
    shot(officer, "03-reflected")
    submit(officer, f"/cases/{case}/personal-data", {"purpose": "답변 작성"})
    if "가상인" not in officer.page_source:
        fail(f"an officer could not open the petitioner's data: {officer.find_element(By.TAG_NAME, 'main').text[:300]}")
    shot(officer, "04-personal-data")
    officer.get(BASE + "/new")
    shot(officer, "05-new-forms")

    # Two officers decide on the same version; the second sees the first's step.
    race = file_petition(officer, "영등포역 지하보도 누수")
    colleague = browser()
    try:
        sign_in(colleague, "ydp-0415")
        officer.get(f"{BASE}/cases/{race}")
        colleague.get(f"{BASE}/cases/{race}")
        submit(officer, f"/cases/{race}/steps/review", {"department": "도로과"})
        submit(colleague, f"/cases/{race}/steps/review", {"department": "치수과"})
        if "동료가 먼저 이 건을 바꾸었습니다" not in colleague.page_source or "도로과에 배정" not in colleague.page_source:
            fail(f"the second officer did not see the conflict page with the first one's step: {colleague.find_element(By.TAG_NAME, 'main').text[:300]}")
        shot(colleague, "06-conflict")
    finally:
        colleague.quit()

    auditor = browser()
    try:
        sign_in(auditor, "demo-audit")
        auditor.get(f"{BASE}/cases/{case}")
        if auditor.find_elements(By.CSS_SELECTOR, 'form[action*="/steps/"]') or "personal-data" in auditor.page_source:
            fail("the auditor was offered a write form or personal data")
        if "가상인" in auditor.page_source or "010-0000-4321" in auditor.page_source:
            fail("the auditor saw personal data")
        shot(auditor, "07-auditor-case")
        auditor.get(BASE + "/audit")
        submit(auditor, "/audit/verify", {})
        if "검증했습니다" not in auditor.page_source:
            fail("verification from the auditor's page did not pass")
        shot(auditor, "08-audit")
        auditor.get(f"{BASE}/audit/case?id={case}&effective=2019-01-01T00:00")
        shot(auditor, "09-audit-history")
    finally:
        auditor.quit()

    statistics = browser()
    try:
        sign_in(statistics, "demo-stat")
        statistics.get(BASE + "/statistics?year=2019")
        if "2019년 구민 소통 백서" not in statistics.page_source or "139" not in statistics.page_source:
            fail("the statistics page does not show the 2019 white paper")
        shot(statistics, "10-statistics")
    finally:
        statistics.quit()

    privacy = browser()
    try:
        sign_in(privacy, "demo-privacy")
        privacy.get(BASE + "/privacy")
        if case not in privacy.page_source or "열람" not in privacy.page_source:
            fail("the privacy officer's page does not list the officer's opening of personal data")
        shot(privacy, "11-privacy")
    finally:
        privacy.quit()

    officer.get(BASE + "/sign-in")
    shot(officer, "12-sign-in")
finally:
    officer.quit()
print(f"browser-test: {len(checked_pages)} pages passed axe-core's WCAG 2 A/AA rules: {', '.join(checked_pages)}")
