"""The add-in manifest against the structure of Microsoft's Office add-in manifest schema (offline).

Microsoft's XSDs ([MS-OWEMXML]) are not shipped by any package registry reachable here (see addin/README.md),
so this checks what the schema and the Outlook docs demand of this manifest: element order and presence at
the top, the VersionOverrides 1.0 > 1.1 nesting, requirement set Mailbox 1.12, the LaunchEvent, resource ids
that resolve to the right kind of resource, documented length limits, and agreement with launchevent.js.
"""
from __future__ import annotations

import re
import uuid
from pathlib import Path

import defusedxml.ElementTree as ET
import pytest

ADDIN = Path(__file__).resolve().parent.parent / "addin"
OFFICE = "http://schemas.microsoft.com/office/appforoffice/1.1"
BT = "http://schemas.microsoft.com/office/officeappbasictypes/1.0"
OV10 = "http://schemas.microsoft.com/office/mailappversionoverrides"
OV11 = "http://schemas.microsoft.com/office/mailappversionoverrides/1.1"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

# The OfficeApp sequence of the schema (MailApp): each at most once, in this order; VersionOverrides last.
TOP_ORDER = ["Id", "AlternateId", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description",
             "IconUrl", "HighResolutionIconUrl", "SupportUrl", "AppDomains", "Hosts", "Requirements",
             "FormSettings", "Permissions", "Rule", "DisableEntityHighlighting", "VersionOverrides"]
TOP_REQUIRED = {"Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "FormSettings",
                "Permissions", "Rule"}
RESOURCE_KIND = {  # which Resources list a resid may point into, by the element that carries it
    "Image": "Images", "FunctionFile": "Urls", "SourceLocation": "Urls", "Runtime": "Urls", "Override": "Urls",
    "Label": "ShortStrings", "Title": "ShortStrings", "Description": "LongStrings"}


def q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


@pytest.fixture(scope="module")
def root():
    return ET.parse(ADDIN / "manifest.xml").getroot()


@pytest.fixture(scope="module")
def v11(root):
    outer = root.findall(q(OFFICE, "VersionOverrides"))
    assert outer == [], "VersionOverrides at the top must be in the mailappversionoverrides namespace"
    outer = root.findall(q(OV10, "VersionOverrides"))
    assert len(outer) == 1 and outer[0].get(XSI_TYPE) == "VersionOverridesV1_0"
    inner = outer[0].findall(q(OV11, "VersionOverrides"))
    assert len(inner) == 1 and inner[0].get(XSI_TYPE) == "VersionOverridesV1_1"
    return inner[0]


def local(element) -> str:
    return element.tag.split("}")[-1]


def test_root_is_a_mail_app(root):
    assert root.tag == q(OFFICE, "OfficeApp") and root.get(XSI_TYPE) == "MailApp"


def test_top_level_elements_follow_the_schema_sequence(root):
    names = [local(e) for e in root]
    assert TOP_REQUIRED <= set(names), TOP_REQUIRED - set(names)
    assert all(n in TOP_ORDER for n in names), names
    positions = [TOP_ORDER.index(n) for n in names]
    assert positions == sorted(positions), f"out of schema order: {names}"
    assert len(set(names)) == len(names), "each top-level element at most once"


def test_identity_values_have_the_schema_formats(root):
    uuid.UUID(root.findtext(q(OFFICE, "Id")))
    assert re.fullmatch(r"\d{1,5}(\.\d{1,5}){0,3}", root.findtext(q(OFFICE, "Version")))
    assert root.findtext(q(OFFICE, "Permissions")) in {"Restricted", "ReadItem", "ReadWriteItem", "ReadWriteMailbox"}
    assert len(root.find(q(OFFICE, "DisplayName")).get("DefaultValue")) <= 125
    assert len(root.find(q(OFFICE, "Description")).get("DefaultValue")) <= 250
    for override in root.iter(q(OFFICE, "Override")):
        assert re.fullmatch(r"[a-z]{2}-[A-Z]{2}", override.get("Locale")) and len(override.get("Value")) <= 250


def version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def test_mailbox_requirement_set_is_at_least_1_12(root, v11):
    top = root.find(f"{q(OFFICE, 'Requirements')}/{q(OFFICE, 'Sets')}/{q(OFFICE, 'Set')}")
    assert top.get("Name") == "Mailbox" and version(top.get("MinVersion")) >= (1, 12)
    sets = v11.find(f"{q(OV11, 'Requirements')}/{q(BT, 'Sets')}")
    assert version(sets.get("DefaultMinVersion")) >= (1, 12)
    assert [s.get("Name") for s in sets.findall(q(BT, "Set"))] == ["Mailbox"]


def test_form_and_rule_target_a_message_being_written(root):
    form = root.find(f"{q(OFFICE, 'FormSettings')}/{q(OFFICE, 'Form')}")
    assert form.get(XSI_TYPE) == "ItemEdit"
    rules = [r for r in root.iter(q(OFFICE, "Rule")) if r.get(XSI_TYPE) == "ItemIs"]
    assert [(r.get("ItemType"), r.get("FormType")) for r in rules] == [("Message", "Edit")]


def desktop(v11):
    host = v11.find(f"{q(OV11, 'Hosts')}/{q(OV11, 'Host')}")
    assert host.get(XSI_TYPE) == "MailHost"
    return host, host.find(q(OV11, "DesktopFormFactor"))


def extension_point(v11, kind: str):
    _, form_factor = desktop(v11)
    found = [e for e in form_factor.findall(q(OV11, "ExtensionPoint")) if e.get(XSI_TYPE) == kind]
    assert len(found) == 1, kind
    return found[0]


def test_send_is_soft_blocked_by_the_handler_launchevent_js_associates(v11):
    point = extension_point(v11, "LaunchEvent")
    events = point.findall(f"{q(OV11, 'LaunchEvents')}/{q(OV11, 'LaunchEvent')}")
    assert [(e.get("Type"), e.get("SendMode")) for e in events] == [("OnMessageSend", "SoftBlock")]
    script = (ADDIN / "launchevent.js").read_text(encoding="utf-8")
    associated = re.findall(r'Office\.actions\.associate\("([^"]+)"', script)
    assert associated == [events[0].get("FunctionName")]
    assert point.find(q(OV11, "SourceLocation")).get("resid")


def test_runtimes_give_classic_outlook_the_bare_script(v11, root):
    host, form_factor = desktop(v11)
    runtime = host.find(f"{q(OV11, 'Runtimes')}/{q(OV11, 'Runtime')}")
    override = runtime.find(q(OV11, "Override"))
    assert override.get("type") == "javascript"
    urls = resources(v11)["Urls"]
    assert urls[override.get("resid")].endswith("/addin/launchevent.js")
    assert urls[runtime.get("resid")].endswith("/addin/commands.html")
    launch_source = extension_point(v11, "LaunchEvent").find(q(OV11, "SourceLocation")).get("resid")
    assert launch_source == runtime.get("resid"), "the LaunchEvent runs in the declared runtime"
    assert form_factor.find(q(OV11, "FunctionFile")) is not None


def test_the_ribbon_button_opens_the_task_pane_the_alert_offers(v11):
    point = extension_point(v11, "MessageComposeCommandSurface")
    controls = list(point.iter(q(OV11, "Control")))
    assert len(controls) == 1 and controls[0].get(XSI_TYPE) == "Button"
    action = controls[0].find(q(OV11, "Action"))
    assert action.get(XSI_TYPE) == "ShowTaskpane"
    assert resources(v11)["Urls"][action.find(q(OV11, "SourceLocation")).get("resid")].endswith("/addin/taskpane.html")
    script = (ADDIN / "launchevent.js").read_text(encoding="utf-8")
    assert f'paneCommandId: "{controls[0].get("id")}"' in script
    icon_sizes = {i.get("size") for i in controls[0].iter(q(BT, "Image"))}
    assert icon_sizes == {"16", "32", "80"}, "Outlook wants 16, 32 and 80 px button icons"


def resources(v11) -> dict[str, dict[str, str]]:
    res = v11.find(q(OV11, "Resources"))
    found: dict[str, dict[str, str]] = {}
    for kind, item in (("Images", "Image"), ("Urls", "Url"), ("ShortStrings", "String"), ("LongStrings", "String")):
        group = res.find(q(BT, kind))
        found[kind] = {e.get("id"): e.get("DefaultValue") for e in (group if group is not None else [])
                       if e.tag == q(BT, item)}
    return found


def test_resources_are_unique_within_limits_and_every_resid_resolves(v11):
    res = resources(v11)
    ids = [i for kind in res.values() for i in kind]
    assert len(ids) == len(set(ids)), "resource ids are unique across kinds"
    assert all(len(i) <= 32 for i in ids), "a resid is at most 32 characters"
    assert all(len(v) <= 125 for v in res["ShortStrings"].values())
    assert all(len(v) <= 250 for v in res["LongStrings"].values())
    for element in v11.iter():
        resid = element.get("resid")
        if resid is None:
            continue
        kind = RESOURCE_KIND[local(element)]
        assert resid in res[kind], f"{local(element)} resid={resid} is not among the {kind}"
    launchevent = (ADDIN / "launchevent.js").read_text(encoding="utf-8")
    icon = re.search(r'noticeIcon: "([^"]+)"', launchevent).group(1)
    assert icon in res["Images"], "the notification's icon is a manifest image"


def test_every_url_is_absolute_on_the_base_url_and_names_an_addin_file(root):
    text = (ADDIN / "manifest.xml").read_text(encoding="utf-8")
    urls = re.findall(r'DefaultValue="([^"]*(?:/|\.)[a-z]+)"', text)
    file_urls = [u for u in urls if u.startswith("{{BASE_URL}}/addin/")]
    assert len(file_urls) >= 8
    for url in urls:
        if "://" in url or url.startswith("{{"):
            assert url.startswith("{{BASE_URL}}/"), url
    for url in file_urls:
        assert (ADDIN / url.removeprefix("{{BASE_URL}}/addin/")).is_file(), url
