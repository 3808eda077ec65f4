// Tenpa's only script. Pages work without it; it adds the design system's behaviour and the live
// assessment panel of the job plan editor.
import { initAll } from '/assets/nhsuk.js';

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');
initAll();

// The live panel: a form marked data-live-panel="URL" posts its fields there on every change and
// shows the answer (an HTML fragment) in the element named by data-live-target.
for (const form of document.querySelectorAll('form[data-live-panel]')) {
  const target = document.getElementById(form.dataset.liveTarget);
  if (!target) continue;
  let timer = null;
  let inFlight = null;
  const refresh = async () => {
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    const body = new URLSearchParams(new FormData(form));
    target.setAttribute('aria-busy', 'true');
    try {
      const resp = await fetch(form.dataset.livePanel, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        signal: inFlight.signal,
        credentials: 'same-origin',
      });
      if (resp.ok) {
        target.innerHTML = await resp.text();
      }
    } catch (e) {
      if (e.name !== 'AbortError') console.warn('the live panel could not update', e);
    } finally {
      target.removeAttribute('aria-busy');
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
}

// Buttons marked data-print print the page.
for (const button of document.querySelectorAll('[data-print]')) {
  button.addEventListener('click', () => window.print());
}
