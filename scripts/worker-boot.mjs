// A worker thread that runs a TypeScript entry (workerData.entry) through tsx, as the main
// thread does.
import { workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
await import(workerData.entry)
