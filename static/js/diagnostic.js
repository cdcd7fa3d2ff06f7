// A step sent back with errors: its summary takes the focus, so that a screen reader
// reads it first and the keyboard goes on from its links to the questions. Without
// JavaScript the page reads from the top, as any page.
(() => {
  const summary = document.querySelector(".error-summary[tabindex]");
  if (summary) summary.focus();
})();

// A follow-up question appears as soon as the answer that calls for it is chosen (the
// same rule as diagnostics.scoring.is_shown). Without JavaScript the server shows it
// after "Suivant", with a notice.
(() => {
  const form = document.querySelector(".step-form");
  const status = document.querySelector("[data-follow-up-status]");
  if (!form) return;
  const followUps = [...form.querySelectorAll("fieldset[data-condition-question]")];
  if (!followUps.length) return;

  function calledFor(fieldset) {
    const name = fieldset.dataset.conditionQuestion;
    const chosen = form.querySelector(`input[name="${name}"]:checked`);
    return chosen !== null && Number(chosen.dataset.points || 0) >= Number(fieldset.dataset.conditionPoints);
  }

  form.addEventListener("change", () => {
    const revealed = [];
    for (const fieldset of followUps) {
      const show = calledFor(fieldset);
      if (show && fieldset.hidden) revealed.push(fieldset.querySelector("legend").textContent);
      fieldset.hidden = !show;
    }
    if (status && revealed.length) {
      status.textContent = `Une question complémentaire s’affiche : ${revealed.join(" ; ")}`;
    }
  });
})();
