// A key appears once in an object (docs/contract/history-format.md, "Objects"): JSON.parse keeps only
// the last of repeated keys, so the reader looks for them in every line JSON.parse accepted and refuses
// the line naming the key and where its object sits.
import { describe, expect, it } from 'vitest';
import { repeatedKey } from './json-keys.ts';
import { parseHistoryText } from './reader.ts';
import { HistoryFormatError } from './rules.ts';

const first = (text: string) => {
  JSON.parse(text); // every case is valid JSON, as the reader calls it only then
  return repeatedKey(text);
};

describe('repeatedKey', () => {
  it('finds a key written twice in one object, and no other', () => {
    expect(first('{"a":1,"a":2}')).toEqual({ key: 'a', path: '' });
    expect(first('{"a":1,"b":2,"c":{"a":3}}')).toBeUndefined();
    expect(first('{"a":{"b":1},"b":2}')).toBeUndefined();
    expect(first('{"a":{"b":1},"a":2}')).toEqual({ key: 'a', path: '' });
    expect(first('{"a":[1,{"b":2}],"c":3,"a":4}')).toEqual({ key: 'a', path: '' });
    expect(first('[{"a":1},{"a":1}]')).toBeUndefined();
    expect(first('{}')).toBeUndefined();
    expect(first('[]')).toBeUndefined();
    // A line that is JSON but no object: a string, a number, a list of strings.
    expect(first('"a"')).toBeUndefined();
    expect(first('3')).toBeUndefined();
    expect(first('["a","a"]')).toBeUndefined();
  });

  it('counts only keys: a string value, or a string in an array, is not a key', () => {
    expect(first('{"a":"a","b":"a"}')).toBeUndefined();
    expect(first('{"k":["a","a"],"l":["k"]}')).toBeUndefined();
    expect(first('{"a":"b","b":"x"}')).toBeUndefined();
    expect(first('{"a":"b","c":["b","x"],"b":1}')).toBeUndefined();
  });

  it('reads keys as JSON does: escapes decoded, whitespace allowed before the colon', () => {
    expect(first('{"a":1,"\\u0061":2}')).toEqual({ key: 'a', path: '' });
    expect(first('{"a\\"b":1,"a\\"b":2}')).toEqual({ key: 'a"b', path: '' });
    expect(first('{"a\\\\":1,"a\\\\" :2}')).toEqual({ key: 'a\\', path: '' });
    expect(first('{"a\\\\":1,"a":2}')).toBeUndefined();
    // A value with an escaped quote and a colon in it does not end early nor make a key.
    expect(first('{"e":"x\\":","x":1,"e2":"\\"x\\"","y":2}')).toBeUndefined();
    expect(first('{"e":"x\\":y","x":1,"x":2}')).toEqual({ key: 'x', path: '' });
    expect(first('{"a" :1,"a"\t:2}')).toEqual({ key: 'a', path: '' });
    expect(first('{"a"\r\n:1, "a"  :2}')).toEqual({ key: 'a', path: '' });
    expect(first('{ "a" : 1 , "a" : 2 }')).toEqual({ key: 'a', path: '' });
  });

  it('names where the object sits: fields by name, list items by position (commas of inner lists not counted)', () => {
    expect(first('{"value":[["poll",{"0":[],"1":[],"0":[]}]]}')).toEqual({ key: '0', path: 'value[0][1]' });
    expect(first('{"value":[["send",0,[1,2]],["send",1,2],["poll",{"2":[[0,1],[1,2]],"2":[]}]]}')).toEqual({ key: '2', path: 'value[2][1]' });
    expect(first('{"x":{"y_1":{"k":1,"k":2}}}')).toEqual({ key: 'k', path: 'x.y_1' });
    expect(first('{"x":{"y z":{"k":1,"k":2}}}')).toEqual({ key: 'k', path: 'x["y z"]' });
    expect(first('{"x":{"1y":{"k":1,"k":2}}}')).toEqual({ key: 'k', path: 'x["1y"]' });
    expect(first('{"x":{"_":{"k":1,"k":2}}}')).toEqual({ key: 'k', path: 'x._' });
    expect(first('{"x":{"Ab9":[{"k":1,"k":2}]}}')).toEqual({ key: 'k', path: 'x.Ab9[0]' });
    expect(first('{"y z":{"k":1,"k":2}}')).toEqual({ key: 'k', path: 'y z' });
    expect(first('[{"a":1},[3,4],{"a":1,"a":2}]')).toEqual({ key: 'a', path: '[2]' });
    expect(first('{"a":1,"b":{"c":1},"d":{"c":1,"c":1}}')).toEqual({ key: 'c', path: 'd' });
  });
});

describe('the reader refuses a repeated key, naming the line, the key and where', () => {
  const head = '{"index":0,"time":0,"process":0,"type":"invoke","f":"poll","value":[["poll"]]}';
  const refusal = (line: string): { line: number; message: string } => {
    try {
      parseHistoryText(`${head}\n${line}\n`);
    } catch (e) {
      expect(e).toBeInstanceOf(HistoryFormatError);
      return { line: (e as HistoryFormatError).line, message: (e as Error).message };
    }
    throw new Error('accepted');
  };
  const why = 'a JSON reader keeps only the last of repeated keys, so what came before would be lost without a word: write each key once';

  it('a field of the event', () => {
    expect(refusal('{"index":1,"time":1,"process":0,"type":"ok","type":"ok","f":"poll","value":[["poll",{}]]}'))
      .toEqual({ line: 2, message: `line 2: field "type" appears twice in the event; ${why}` });
  });

  it('a key of a poll map', () => {
    expect(refusal('{"index":1,"time":1,"process":0,"type":"ok","f":"poll","value":[["poll",{"3":[[0,1]],"3":[[1,2]]}]]}'))
      .toEqual({ line: 2, message: `line 2: the poll map at value[0][1] repeats key "3"; ${why} (all of a key's pairs in one list)` });
  });

  it('a line that is JSON but no event is refused as such, whatever it holds', () => {
    expect(refusal('"index"')).toEqual({ line: 2, message: expect.stringMatching(/^line 2: an event must be a JSON object/) });
    expect(refusal('["a",{"k":1,"k":2}]')).toEqual({ line: 2, message: expect.stringMatching(/^line 2: the object at \[1\] repeats key "k"/) });
  });

  it('a poll map is the second item of a mop of the event\'s value, at any position, and only that', () => {
    const mops = Array.from({ length: 10 }, () => '["poll",{}]').join(',');
    expect(refusal(`{"index":1,"time":1,"process":0,"type":"ok","f":"poll","value":[${mops},["poll",{"3":[],"3":[]}]]}`))
      .toEqual({ line: 2, message: `line 2: the poll map at value[10][1] repeats key "3"; ${why} (all of a key's pairs in one list)` });
    // An object inside a poll map's list, and a list named value deeper in a nemesis event, are other objects.
    expect(refusal('{"index":1,"time":1,"process":"nemesis","type":"info","f":"kill","value":[["poll",{"3":[{"a":1,"a":2}]}]]}'))
      .toEqual({ line: 2, message: `line 2: the object at value[0][1]["3"][0] repeats key "a"; ${why}` });
    expect(refusal('{"index":1,"time":1,"process":"nemesis","type":"info","f":"kill","value":{"x":{"value":[[0,{"k":1,"k":1}]]}}}'))
      .toEqual({ line: 2, message: `line 2: the object at value.x.value[0][1] repeats key "k"; ${why}` });
  });

  it('any other object', () => {
    expect(refusal('{"index":1,"time":1,"process":"nemesis","type":"info","f":"kill","value":{"nodes":[1],"nodes":[2]}}'))
      .toEqual({ line: 2, message: `line 2: the object at value repeats key "nodes"; ${why}` });
    expect(refusal('{"index":1,"time":1,"process":"nemesis","type":"info","f":"kill","value":[0,{"n":{"a":1,"a":1}}]}'))
      .toEqual({ line: 2, message: `line 2: the object at value[1].n repeats key "a"; ${why}` });
  });
});
