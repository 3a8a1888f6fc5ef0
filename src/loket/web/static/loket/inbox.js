// The inbox and case pages, enhanced. Every page works without this file: forms submit,
// links open, the help is a section at the end of the page. With it there are
// keyboard shortcuts, a help dialog, a live character count in the reply composer and
// presence on the case page ("Bram is replying"), polled every few seconds.
(() => {
  "use strict";

  const TYPING = "input, textarea, select, [contenteditable=''], [contenteditable='true']";

  function isTyping(element) {
    return element instanceof Element && element.closest(TYPING) !== null;
  }

  function focusField(id) {
    const field = document.getElementById(id);
    if (!field) return false;
    field.focus();
    field.scrollIntoView({ block: "center" });
    return true;
  }

  // --- the help: a section, turned into a dialog ------------------------------------------

  function setUpHelp() {
    const section = document.getElementById("keyboard-help");
    if (!section || typeof HTMLDialogElement !== "function") return null;
    const dialog = document.createElement("dialog");
    dialog.id = "keyboard-help-dialog";
    dialog.className = "keyboard-help-dialog";
    dialog.setAttribute("aria-labelledby", "keyboard-help-heading");
    section.parentNode.insertBefore(dialog, section);
    dialog.appendChild(section);
    const form = document.createElement("form");
    form.method = "dialog";
    const close = document.createElement("button");
    close.type = "submit";
    close.textContent = section.dataset.closeLabel || "OK";
    form.appendChild(close);
    section.appendChild(form);
    document.addEventListener("click", (event) => {
      const link = event.target instanceof Element && event.target.closest("a[href='#keyboard-help']");
      if (link) {
        event.preventDefault();
        dialog.showModal();
      }
    });
    return dialog;
  }

  // --- the list: j/k move between cases ---------------------------------------------------

  function caseLinks() {
    return Array.from(document.querySelectorAll("a[data-case-link]"));
  }

  let selectedNumber = null;

  function markSelected() {
    for (const row of document.querySelectorAll("tr[data-case-row]")) {
      row.classList.toggle("is-selected", row.dataset.number === selectedNumber);
    }
  }

  function moveSelection(step) {
    const links = caseLinks();
    if (links.length === 0) return false;
    let index = links.indexOf(document.activeElement);
    if (index === -1 && selectedNumber !== null) {
      index = links.findIndex((link) => link.closest("tr").dataset.number === selectedNumber);
    }
    const next = index === -1 ? 0 : Math.min(Math.max(index + step, 0), links.length - 1);
    links[next].focus();
    links[next].scrollIntoView({ block: "nearest" });
    return true;
  }

  document.addEventListener("focusin", (event) => {
    const link = event.target instanceof Element && event.target.closest("a[data-case-link]");
    if (link) {
      selectedNumber = link.closest("tr").dataset.number;
      markSelected();
    }
  });
  // htmx refreshed or filtered the list: keep the selection marked.
  document.addEventListener("htmx:afterSwap", markSelected);

  // --- shortcuts -------------------------------------------------------------------------

  function openSelected() {
    if (selectedNumber === null) return false;
    const link = document.getElementById("case-link-" + selectedNumber);
    if (!link) return false;
    link.click();
    return true;
  }

  function setUpShortcuts(dialog) {
    document.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (dialog && dialog.open) return; // the dialog handles its own keys (Esc closes it)
      const target = event.target;
      if (isTyping(target)) {
        if (event.key === "Escape" && target.matches("input, textarea")) target.blur();
        return;
      }
      let handled = false;
      switch (event.key) {
        case "j":
          handled = moveSelection(1);
          break;
        case "k":
          handled = moveSelection(-1);
          break;
        case "Enter":
          // A focused link opens itself; this covers a selection whose focus was lost.
          if (!(target instanceof HTMLAnchorElement) && !(target instanceof HTMLButtonElement)) {
            handled = openSelected();
          }
          break;
        case "/":
          handled = focusField("filter_query");
          break;
        case "r":
          handled = focusField("reply_text");
          break;
        case "n":
          handled = focusField("note_text");
          break;
        case "a":
          handled = focusField("assign_assignee") || focusField("assign_team");
          break;
        case "e":
          handled = focusField("status_closing_reason");
          break;
        case "u": {
          const back = document.querySelector("a[data-inbox-link]");
          if (back) {
            back.click();
            handled = true;
          }
          break;
        }
        case "?":
          if (dialog) {
            dialog.showModal();
            handled = true;
          } else {
            handled = focusField("keyboard-help");
          }
          break;
        default:
          break;
      }
      if (handled) event.preventDefault();
    });
  }

  // --- the composer: a live character count ------------------------------------------------

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, name) =>
      name in values ? String(values[name]) : match,
    );
  }

  function setUpCounter() {
    const textarea = document.querySelector("textarea[data-max-length]");
    const output = document.querySelector("[data-char-count]");
    if (!textarea || !output) return;
    const max = Number(textarea.dataset.maxLength);
    // Announced once when the text goes over the limit, not at every key.
    const alert = document.querySelector("[data-char-alert]");
    let wasOver = false;
    const update = () => {
      // Code points, as the server counts them; surrounding whitespace is not sent.
      const count = Array.from(textarea.value.trim()).length;
      const over = count - max;
      output.textContent =
        over > 0
          ? format(textarea.dataset.overText, { over })
          : format(textarea.dataset.countText, { count, max });
      output.classList.toggle("over", over > 0);
      if (alert && over > 0 !== wasOver) {
        alert.textContent = over > 0 ? output.textContent : "";
        wasOver = over > 0;
      }
    };
    textarea.addEventListener("input", update);
    update();
  }

  // --- presence: who else is on this case -------------------------------------------------

  function setUpPresence() {
    const form = document.getElementById("presence-form");
    const region = document.getElementById("presence");
    if (!form || !region) return;
    const composer = document.getElementById("reply_text");
    const seconds = Math.max(Number(form.dataset.pollSeconds) || 5, 1);
    let shown = region.innerHTML.trim();
    let reported = null;
    let stopped = false;

    const activity = () =>
      composer && (document.activeElement === composer || composer.value.trim() !== "")
        ? "replying"
        : "viewing";

    async function report() {
      if (stopped) return;
      const data = new FormData(form);
      data.set("activity", activity());
      reported = data.get("activity");
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
        });
        if (response.redirected || !response.ok) {
          // Signed out, or no longer allowed: stop asking; the page itself still works.
          if (response.redirected || response.status === 403 || response.status === 404) {
            stopped = true;
          }
          return;
        }
        const html = (await response.text()).trim();
        if (html !== shown) {
          region.innerHTML = html; // server-rendered and escaped, like the page itself
          shown = html;
        }
      } catch (error) {
        // Offline for a moment: the next tick tries again.
      }
    }

    const reportIfChanged = () => {
      if (activity() !== reported) report();
    };
    if (composer) {
      composer.addEventListener("focus", reportIfChanged);
      composer.addEventListener("blur", reportIfChanged);
      composer.addEventListener("input", reportIfChanged);
    }
    window.setInterval(report, seconds * 1000);
    report();
    window.addEventListener("pagehide", () => {
      const data = new FormData(form);
      data.set("leave", "1");
      navigator.sendBeacon(form.action, data);
    });
  }

  const dialog = setUpHelp();
  setUpShortcuts(dialog);
  setUpCounter();
  setUpPresence();
})();
