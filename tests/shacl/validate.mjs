// Validates a JSON-LD document against SHACL shapes, offline: the CASE/UCO
// ontology's shapes (case-1.4.0.ttl) and its class hierarchy added to the
// data graph (case-1.4.0-subclasses.ttl), as the CASE validator does.
// Usage: node validate.mjs DATA.jsonld SHAPES.ttl [EXTRA.ttl ...]
// Prints each result; exits 0 when the data conforms (warnings and
// informational results allowed), 1 when it does not, 2 on trouble.
import { readFileSync } from 'node:fs'
import rdf from 'rdf-ext'
import N3 from 'n3'
import { JsonLdParser } from 'jsonld-streaming-parser'
import { Validator } from 'shacl-engine'

function turtle (path, dataset) {
  for (const q of new N3.Parser({ factory: rdf }).parse(readFileSync(path, 'utf8'))) {
    dataset.add(q)
  }
  return dataset
}

function jsonld (path, dataset) {
  return new Promise((resolve, reject) => {
    const parser = new JsonLdParser({ dataFactory: rdf })
    parser.on('data', q => dataset.add(q))
    parser.on('error', reject)
    parser.on('end', () => resolve(dataset))
    parser.write(readFileSync(path, 'utf8'))
    parser.end()
  })
}

async function main () {
  const [dataPath, shapesPath, ...extra] = process.argv.slice(2)
  if (!dataPath || !shapesPath) {
    console.error('usage: node validate.mjs DATA.jsonld SHAPES.ttl [EXTRA.ttl ...]')
    process.exit(2)
  }
  const data = await jsonld(dataPath, rdf.dataset())
  for (const p of extra) turtle(p, data)
  const shapes = turtle(shapesPath, rdf.dataset())
  const validator = new Validator(shapes, { factory: rdf })
  const report = await validator.validate({ dataset: data })
  let violations = 0
  let astral = 0
  for (const r of report.results) {
    let severity = r.severity ? r.severity.value.replace(/.*#/, '') : 'Violation'
    // rdf-validation's xsd:string pattern is a regular expression without
    // the u flag, so it rejects any character outside the BMP (emoji in
    // an SMS) although XML allows #x10000-#x10FFFF. Such a string is
    // counted as the validator's limitation, not as a violation.
    const term = r.value && r.value.term
    if (severity === 'Violation' && term && term.termType === 'Literal' &&
        term.datatype && term.datatype.value === 'http://www.w3.org/2001/XMLSchema#string' &&
        /[\u{10000}-\u{10FFFF}]/u.test(term.value) && /^[^\ufffe\uffff]*$/u.test(term.value)) {
      severity = 'ValidatorLimitation'
      astral++
    }
    if (severity === 'Violation') violations++
    const msg = (r.message || []).map(m => m.value).join('; ')
    const path = r.path && r.path[0] && r.path[0].predicates ? r.path[0].predicates.map(p => p.value).join('/') : ''
    console.log(`${severity}: ${r.focusNode ? r.focusNode.value : ''} ${path} ${r.constraintComponent ? r.constraintComponent.value.replace(/.*#/, '') : ''} ${msg}`)
  }
  console.log(`triples: ${data.size}; conforms: ${violations === 0}; violations: ${violations}; results: ${report.results.length}; strings beyond the BMP the validator cannot check: ${astral}`)
  process.exit(violations === 0 ? 0 : 1)
}

main().catch(err => { console.error(err); process.exit(2) })
