// Every dashboard page: times in the browser's time zone, the Copy button of a new share link,
// and the history's Export / Delete buttons saying how many runs they take. The pages work
// without it (times in UTC, counts on the next page).
(function () {
  'use strict';
  const pad = (n) => String(n).padStart(2, '0');

  // <time data-local> holds UTC (datetime, text and title); show it in this browser's zone and
  // keep UTC on hover. The zone also goes in a cookie, so the history's day filters mean this
  // browser's days.
  function localTimes() {
    for (const el of document.querySelectorAll('time[data-local]')) {
      const at = new Date(el.dateTime);
      if (Number.isNaN(at.getTime())) continue;
      el.textContent = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
    }
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) document.cookie = `chatrun_tz=${encodeURIComponent(zone)}; path=/; max-age=31536000; SameSite=Strict`;
  }

  async function copyText(text, source) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // No clipboard permission (an http page off this computer): copy the selected text.
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return document.execCommand('copy');
    }
  }

  function copyButtons() {
    for (const button of document.querySelectorAll('button[data-copy]')) {
      const source = document.getElementById(button.dataset.copy);
      const status = button.parentElement.querySelector('.copy-status');
      if (!source) continue;
      button.hidden = false;
      button.addEventListener('click', async () => {
        const done = await copyText(source.textContent.trim(), source);
        button.textContent = done ? 'Copied' : 'Copy';
        if (status) status.textContent = done ? 'Link copied to the clipboard.' : 'Could not copy: select the link and copy it.';
      });
    }
  }

  // "Delete 2 checked runs…" / "Delete all 30 runs…": what the button will take, before the
  // confirm page says it again.
  function selectionCounts() {
    const form = document.getElementById('selection');
    if (!form) return;
    const total = Number(form.dataset.total);
    const boxes = [...form.querySelectorAll('input[type=checkbox][name=id]')];
    const runs = (n) => (n === 1 ? 'run' : 'runs');
    const update = () => {
      const checked = boxes.filter((box) => box.checked).length;
      const what = checked ? `${checked} checked ${runs(checked)}` : `${total > 1 ? 'all ' : ''}${total} ${runs(total)}`;
      for (const button of form.querySelectorAll('button[data-verb]')) button.textContent = `${button.dataset.verb} ${what}…`;
    };
    form.addEventListener('change', update);
    update();
  }

  localTimes();
  copyButtons();
  selectionCounts();
})();
