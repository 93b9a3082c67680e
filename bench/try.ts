import { benchD1 } from './d1'

console.log(await benchD1(1000))
