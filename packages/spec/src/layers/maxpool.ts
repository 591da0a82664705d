/** Max pooling over square windows ('valid'), per channel, as torch.nn.MaxPool2d(size, stride). */
import { windowLayer, type WindowLayer } from './window';

/** Max pooling over square windows. */
export type MaxPoolLayer = WindowLayer<'maxpool'>;

export const maxpool = windowLayer('maxpool');
