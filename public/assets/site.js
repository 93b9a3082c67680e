// Copy buttons: each copies a feed URL and says so: the one in its data-copy attribute, or in a
// table of feeds its row's first feed link, which the browser has made absolute.
for (const button of document.querySelectorAll('button.copy')) {
  button.addEventListener('click', async () => {
    const label = button.textContent
    try {
      const url = button.dataset.copy ?? button.closest('tr')?.querySelector('a[type]')?.href
      if (!url) throw new Error('no feed address beside this button')
      await navigator.clipboard.writeText(url)
      button.textContent = 'Copied'
    } catch {
      button.textContent = 'Select and copy'
    }
    setTimeout(() => {
      button.textContent = label
    }, 2000)
  })
}

// The list filter (/tags/, /authors/): as one types, the rows of this page whose name does not
// hold the text are hidden, and letters left empty with them. The form still searches the
// whole list when sent, and works without this script.
const filter = document.querySelector('input[data-filter]')
const list = filter && document.getElementById(filter.dataset.filter)
if (filter && list) {
  const note = document.getElementById('filter-note')
  const said = note?.textContent ?? ''
  const fold = (text) =>
    text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim()
  const rows = [...list.querySelectorAll('tbody tr')]
  const names = rows.map((row) => fold(row.querySelector('th')?.textContent ?? ''))
  filter.addEventListener('input', () => {
    const wanted = fold(filter.value)
    let shown = 0
    rows.forEach((row, index) => {
      row.hidden = !names[index].includes(wanted)
      if (!row.hidden) shown += 1
    })
    for (const section of list.querySelectorAll('section'))
      section.hidden = !section.querySelector('tbody tr:not([hidden])')
    if (note)
      note.textContent = wanted
        ? `${shown} on this page hold “${filter.value.trim()}”; press Enter to search them all.`
        : said
  })
}
