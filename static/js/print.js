// "Imprimer ou enregistrer en PDF": shown only when JavaScript can open the print dialog.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
