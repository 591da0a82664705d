import { kerasWindow } from './window';

export const kerasMaxpool = kerasWindow('maxpool', 'MaxPooling2D');
