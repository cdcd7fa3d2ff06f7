// "Copier le lien": shown only when the browser can copy; the field stays selectable.
document.querySelectorAll("[data-copy]").forEach((button) => {
  if (!navigator.clipboard) return;
  const field = document.getElementById(button.dataset.copy);
  const status = document.querySelector("[data-copy-status]");
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(field.value).then(
      () => { status.textContent = "Lien copié."; },
      () => { field.select(); status.textContent = "Copie impossible : le lien est sélectionné, copiez-le avec Ctrl+C."; },
    );
  });
});
