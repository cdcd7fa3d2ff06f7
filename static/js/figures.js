// Chart/table switch for each figure that shows both (without JavaScript, both show).
// The button says which part it shows and controls, and whether the table is open.
document.querySelectorAll("figure.figure").forEach((figure) => {
  const chart = figure.querySelector("[data-chart]");
  const table = figure.querySelector("[data-table]");
  if (!chart || !table) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button button--secondary button--small";
  button.setAttribute("aria-controls", `${table.id} ${chart.id}`);
  const show = (tableShown) => {
    table.hidden = !tableShown;
    chart.hidden = tableShown;
    button.textContent = tableShown ? "Voir le graphique" : "Voir le tableau";
    button.setAttribute("aria-expanded", String(tableShown));
  };
  button.addEventListener("click", () => show(table.hidden));
  chart.before(button);
  show(false);
});
