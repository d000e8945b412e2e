// Menus déroulants <details class="menu-deroulant"> : Échap ferme le menu ouvert et rend
// le focus à son bouton ; un clic hors du menu le ferme. Sans script, le menu reste
// utilisable (Entrée ou Espace sur le bouton).
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const menu of document.querySelectorAll("details.menu-deroulant[open]")) {
    menu.open = false;
    menu.querySelector("summary").focus();
  }
});
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details.menu-deroulant[open]")) {
    if (!menu.contains(event.target)) menu.open = false;
  }
});
