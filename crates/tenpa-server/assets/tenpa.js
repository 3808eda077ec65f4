// Tenpa's only script. Pages work without it; it adds the design system's behaviour, the live
// assessment panel of the job plan editor, and progress on file uploads.
import { initAll } from '/assets/nhsuk.js';

/** Adds the behaviour to the page (again after an upload form's answer replaced it). */
function enhance() {
  document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');
  initAll();
  livePanels();
  printButtons();
  uploadProgress();
}

// The live panel: a form marked data-live-panel="URL" posts its fields there on every change and
// shows the answer (an HTML fragment) in the element named by data-live-target.
function livePanels() {
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
}

// Buttons marked data-print print the page.
function printButtons() {
  for (const button of document.querySelectorAll('[data-print]')) {
    button.addEventListener('click', () => window.print());
  }
}

// Upload forms marked data-upload-progress send their files with a progress bar (how much has
// been sent), then say the service is checking them, and show its answer as the page. Without
// the script the form posts as usual.
function uploadProgress() {
  for (const form of document.querySelectorAll('form[data-upload-progress]')) {
    const button = form.querySelector('button[type="submit"]');
    const status = document.createElement('div');
    status.className = 'nhsuk-u-margin-bottom-4';
    status.setAttribute('role', 'status');
    status.hidden = true;
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute('aria-label', form.dataset.uploadProgress);
    const words = document.createElement('p');
    words.className = 'nhsuk-body';
    status.append(bar, words);
    (button ?? form.lastElementChild).before(status);
    // The attribute, not form.action: a field named "action" would hide the property.
    const target = new URL(form.getAttribute('action') || '', document.baseURI);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const xhr = new XMLHttpRequest();
      xhr.open('POST', target.href);
      xhr.upload.addEventListener('progress', (e) => {
        if (!e.lengthComputable) return;
        const percent = Math.floor((100 * e.loaded) / e.total);
        bar.value = percent;
        words.textContent = `${form.dataset.uploadProgress}: ${percent}% of ${(e.total / 1048576).toFixed(1)} MB sent.`;
      });
      xhr.upload.addEventListener('load', () => {
        bar.removeAttribute('value');
        words.textContent = 'Sent: the service is working on it, which takes a few seconds for a large file.';
      });
      xhr.addEventListener('load', () => {
        const sameUrl = new URL(xhr.responseURL).pathname === target.pathname;
        if (!sameUrl) {
          window.location.assign(xhr.responseURL);
          return;
        }
        const next = new DOMParser().parseFromString(xhr.responseText, 'text/html');
        document.replaceChild(document.adoptNode(next.documentElement), document.documentElement);
        window.scrollTo(0, 0);
        enhance();
      });
      xhr.addEventListener('error', () => {
        words.textContent = 'The file could not be sent: check the connection and try again.';
        if (button) button.disabled = false;
      });
      if (button) button.disabled = true;
      status.hidden = false;
      words.textContent = `${form.dataset.uploadProgress}…`;
      xhr.send(new FormData(form));
    });
  }
}

enhance();
