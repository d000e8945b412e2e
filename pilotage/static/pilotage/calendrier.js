// Vue calendaire : le tableau s'ouvre sur la dernière réunion tenue, placée juste après
// la première colonne (figée), les colonnes suivantes (aujourd'hui, à venir) à sa droite.
// Sans script, le tableau s'ouvre sur la fiche signée et défile de côté.
for (const region of document.querySelectorAll(".cal-defilement")) {
  const reunions = region.querySelectorAll("th[data-reunion]");
  const derniere = reunions[reunions.length - 1];
  if (!derniere) continue;
  const coin = region.querySelector("th.cal-coin");
  const gauche = region.getBoundingClientRect().left + (coin ? coin.offsetWidth : 0);
  region.scrollLeft += derniere.getBoundingClientRect().left - gauche;
}
