import { z } from 'zod';

/** Field types several phases' output schemas share (JSON values a later phase or a reader parses). */
export const json = z.unknown();
export const jsonArray = z.array(z.unknown());
export const jsonObject = z.record(z.string(), z.unknown());
/** A number, or '' when it is not known (action outputs are strings; '' reads as "unknown"). */
export const numberOrEmpty = z.union([z.number(), z.literal('')]);
export const stringList = z.array(z.string());
