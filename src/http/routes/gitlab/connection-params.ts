import { z } from 'zod';
import { idParam } from '../../../contracts/index.ts';

export const params = z.object({ targetId: idParam });
