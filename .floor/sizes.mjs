import { oursFlow } from '../bench/lib/flows.ts';
