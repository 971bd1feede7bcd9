#!/usr/bin/env python3
"""Open a report page in headless Chromium and check it as a person would see it.

Chromium is driven through its DevTools protocol over a pipe
(--remote-debugging-pipe: JSON messages ended by NUL on file descriptors 3
and 4), so no port is opened and nothing beyond the standard library is
needed. The check fails on any console error, uncaught exception, blocked or
attempted network request, on a metric without its rendered chart, on a
missing chart or text; it saves a full-page screenshot either way.

usage: report_page_check.py --chromium PATH --page FILE --screenshot OUT.png
           --metrics NAME,NAME... [--charts itl,roofline] [--text TEXT]...
"""
import argparse
import base64
import json
import os
import select
import subprocess
import sys
import tempfile
import time

TIMEOUT_S = 90


class Browser:
    def __init__(self, chromium, profile_dir):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def wire_pipes():  # in the child: its fd 3 reads our commands, its fd 4 carries the answers
            read_end, write_end = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        # The flags keep Chromium off the network and away from services a
        # test machine lacks (a session bus, a GPU, component updates).
        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
             "--user-data-dir=" + profile_dir, "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes, pass_fds=(3, 4))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.next_id = 0
        self.buffer = b""
        self.events = []
        self.deadline = time.monotonic() + TIMEOUT_S

    def _read_message(self):
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer within %d s" % TIMEOUT_S)
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe (exit %s)" % self.process.poll())
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        request = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = session
        os.write(self.to_browser, json.dumps(request).encode() + b"\0")
        while True:
            message = self._read_message()
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError("%s: %s" % (method, message["error"].get("message")))
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method):
        for event in self.events:
            if event["method"] == method:
                return event
        while True:
            message = self._read_message()
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return message

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# Runs in the page: what a reader would find, measured from the rendered layout.
PAGE_PROBE = r"""
(() => {
  const visible = (element) => {
    if (!element) return false;
    const box = element.getBoundingClientRect();
    return box.width > 20 && box.height > 20;
  };
  const metrics = {};
  for (const name of %(metrics)s) {
    const figure = document.querySelector(`figure.metric[data-metric="${name}"]`);
    const charts = figure ? [...figure.querySelectorAll("svg.chart")] : [];
    metrics[name] = {
      figure: !!figure,
      charts: charts.length,
      charts_visible: charts.filter(visible).length,
      samples: figure ? figure.querySelectorAll("circle.sample").length : 0,
      in_summary: !!document.querySelector(`tr[data-metric="${name}"]`),
    };
  }
  const charts = {};
  for (const name of %(charts)s) {
    charts[name] = visible(document.querySelector(`[data-chart="${name}"] svg.chart`));
  }
  const text = document.body.innerText;
  return {
    title: document.title,
    metrics,
    charts,
    texts: Object.fromEntries(%(texts)s.map((t) => [t, text.includes(t)])),
    verdict: !!document.querySelector("#verdict .headline"),
    scripts: document.scripts.length,
  };
})()
"""


def check(args):
    problems = []
    with tempfile.TemporaryDirectory() as profile_dir:
        browser = Browser(args.chromium, profile_dir)
        try:
            target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                browser.call(domain + ".enable", session=session)
            browser.call("Emulation.setDeviceMetricsOverride",
                         {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
            url = "file://" + os.path.abspath(args.page)
            navigation = browser.call("Page.navigate", {"url": url}, session=session)
            if navigation.get("errorText"):
                problems.append("the page did not open: " + navigation["errorText"])
            browser.wait_for("Page.loadEventFired")
            probe = PAGE_PROBE % {"metrics": json.dumps(args.metrics), "charts": json.dumps(args.charts),
                                  "texts": json.dumps(args.text)}
            evaluated = browser.call("Runtime.evaluate", {"expression": probe, "returnByValue": True},
                                     session=session)
            if "exceptionDetails" in evaluated:
                problems.append("the probe failed: %s" % evaluated["exceptionDetails"].get("text"))
                found = {}
            else:
                found = evaluated["result"]["value"]

            layout = browser.call("Page.getLayoutMetrics", session=session)
            size = layout.get("cssContentSize") or layout["contentSize"]
            shot = browser.call("Page.captureScreenshot",
                                {"format": "png", "captureBeyondViewport": True,
                                 "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"],
                                          "scale": 1}}, session=session)
            with open(args.screenshot, "wb") as out:
                out.write(base64.b64decode(shot["data"]))
            events = list(browser.events)
        finally:
            browser.close()

    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            problems.append("console error: %s" % " ".join(str(a.get("value", a.get("description", "")))
                                                           for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            problems.append("uncaught exception: %s" % params["exceptionDetails"].get("text"))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            problems.append("console error (%s): %s" % (params["entry"].get("source"), params["entry"].get("text")))
        elif method == "Network.requestWillBeSent" and params["request"]["url"] != url:
            problems.append("the page asked for %s" % params["request"]["url"])
        elif method == "Network.loadingFailed":
            problems.append("a load failed: %s" % params.get("errorText"))

    if found:
        for name, seen in found["metrics"].items():
            if not seen["figure"]:
                problems.append("metric %s: no figure" % name)
            elif seen["charts"] != 2 or seen["charts_visible"] != 2:
                problems.append("metric %s: %d charts, %d of them drawn" % (name, seen["charts"], seen["charts_visible"]))
            elif seen["samples"] == 0:
                problems.append("metric %s: no samples drawn" % name)
            if not seen["in_summary"]:
                problems.append("metric %s: not in the summary table" % name)
        for name, drawn in found["charts"].items():
            if not drawn:
                problems.append("chart %s: missing or not drawn" % name)
        for text, present in found["texts"].items():
            if not present:
                problems.append("text not on the page: %r" % text)
        if not found["verdict"]:
            problems.append("no verdict")
        if found["scripts"]:
            problems.append("the page has %d scripts" % found["scripts"])
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--page", required=True)
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--metrics", required=True, type=lambda s: [m for m in s.split(",") if m])
    parser.add_argument("--charts", default="", type=lambda s: [c for c in s.split(",") if c])
    parser.add_argument("--text", action="append", default=[])
    args = parser.parse_args()
    if not args.metrics:
        print("no metrics to look for", file=sys.stderr)
        return 2
    problems = check(args)
    for problem in problems:
        print("FAIL: %s: %s" % (args.page, problem), file=sys.stderr)
    if not problems:
        print("ok: %s: %d metrics, %d charts, no console errors; screenshot %s"
              % (args.page, len(args.metrics), len(args.charts), args.screenshot))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
