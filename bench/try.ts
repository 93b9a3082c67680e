import { benchHttp } from './http'

console.log(await benchHttp(2, 5))
