"""Writes the unpickler's fixtures with Python's own pickle module and numpy, and what each holds as JSON.

Usage: make_pickles.py GROUP OUTDIR   (GROUP: values, large, malicious, broken)

Every file is a true pickle written by pickle.dump/Pickler (never hand-written bytes). OUTDIR/expected.json holds, per
file, a canonical description of the pickled value computed here with numpy (see describe()); the C# tests describe what
SafeUnpickler returns the same way and compare. numpy 2.x module paths (numpy._core...) are produced by the real pickler:
fake modules under those names are put in sys.modules with functions that forward to numpy 1.x, and a Pickler's
reducer_override hands the pickler those functions, so the byte stream is what numpy 2.x writes.
"""
import _compat_pickle
import builtins
import copyreg
import json
import os
import pickle
import struct
import subprocess
import sys
import types

import numpy as np

LARGE = 10000  # arrays with more elements are described by checksums instead of element lists
U64 = 2**64


# ---------------------------------------------------------------------------------------------- canonical description
def float_bits(x):
    return str(struct.unpack('<q', struct.pack('<d', float(x)))[0])


def is_number(x):
    return isinstance(x, (bool, int, float, np.bool_, np.integer, np.floating)) and not isinstance(x, np.complexfloating)


def int64_or_none(x):
    """The value ToInt64 must give (None where it must refuse): ints in range, bools, integral finite floats."""
    if isinstance(x, (bool, np.bool_)):
        return int(x)
    if isinstance(x, (int, np.integer)):
        v = int(x)
        return v if -2**63 <= v < 2**63 else None
    if isinstance(x, (float, np.floating)):
        v = float(x)
        if v != v or v in (float('inf'), float('-inf')) or v != int(v) or not (-2.0**63 <= v < 2.0**63):
            return None
        return int(v)
    return None


def checksum(values_u64):
    """Two order-sensitive sums of uint64 values, wrapping at 2**64 (numpy's uint64 arithmetic wraps)."""
    v = values_u64.astype(np.uint64)
    n = np.arange(v.size, dtype=np.uint64)
    with np.errstate(over='ignore'):
        return [str(int(v.sum(dtype=np.uint64))), str(int((v * n).sum(dtype=np.uint64)))]


def describe_array(a):
    flat = a.ravel(order='C')
    obj = a.dtype == object
    out = {
        'dtype': '|O' if obj else a.dtype.str,
        'shape': list(a.shape),
        'fortran': bool((not obj) and a.flags.f_contiguous and not a.flags.c_contiguous),
    }
    f32 = None
    if a.dtype.kind in 'biuf' or (obj and all(is_number(x) for x in flat)):
        f32 = a.astype(np.float32).ravel(order='C').view(np.uint32)
    i64 = [int64_or_none(x) for x in flat.tolist()] if (a.dtype.kind in 'biufO') else [None]
    if obj:
        i64 = [int64_or_none(x) for x in flat]
    if any(v is None for v in i64) or not (a.dtype.kind in 'biu' or a.dtype.kind == 'f' or obj):
        i64 = None
    texts = None
    if a.dtype.kind == 'U' or (obj and all(isinstance(x, str) for x in flat)):
        texts = [str(x) for x in flat]
    if a.size > LARGE:
        out['f32'] = None if f32 is None else {'sum': checksum(f32)}
        out['i64'] = None if i64 is None else {'sum': checksum(np.array(i64, dtype=np.int64).view(np.uint64))}
    else:
        out['f32'] = None if f32 is None else [int(b) for b in f32]
        out['i64'] = None if i64 is None else [str(v) for v in i64]
    out['str'] = texts
    out['objects'] = [describe(x) for x in flat] if obj else None
    return {'ndarray': out}


def describe_scalar(s):
    numeric = s.dtype.kind in 'biuf'
    i = int64_or_none(s) if numeric else None
    return {'scalar': {
        'dtype': s.dtype.str,
        'f64': float_bits(np.float64(s)) if numeric else None,
        'i64': None if i is None else str(i),
        'text': str(s) if s.dtype.kind == 'U' else None,
    }}


def describe(x):
    if isinstance(x, np.generic):  # before float and str: np.float64 and np.str_ subclass them
        return describe_scalar(x)
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, int):
        return {'int': str(x)}
    if isinstance(x, float):
        return {'float': float_bits(x)}
    if isinstance(x, (bytes, bytearray)):
        return {'bytes': bytes(x).hex()}
    if isinstance(x, tuple):
        return {'tuple': [describe(v) for v in x]}
    if isinstance(x, list):
        return [describe(v) for v in x]
    if isinstance(x, dict):
        return {'dict': [[describe(k), describe(v)] for k, v in x.items()]}
    if isinstance(x, (set, frozenset)):
        return {'set': sorted((describe(v) for v in x), key=lambda d: json.dumps(d, separators=(',', ':')))}
    if isinstance(x, np.ndarray):
        return describe_array(x)
    if isinstance(x, np.dtype):
        return {'dtype': x.str}
    raise TypeError(type(x))


# ------------------------------------------------------------------------------------------------------ numpy 2.x paths
def fake_numpy2():
    """Modules named as numpy 2.x names them, whose functions forward to numpy 1.x (so pickle.loads still works here)."""
    core = types.ModuleType('numpy._core')
    multiarray = types.ModuleType('numpy._core.multiarray')
    numeric = types.ModuleType('numpy._core.numeric')

    def _reconstruct(*args):
        return np.core.multiarray._reconstruct(*args)

    def scalar(*args):
        return np.core.multiarray.scalar(*args)

    def _frombuffer(*args):
        return np.core.numeric._frombuffer(*args)

    for fn, module in ((_reconstruct, multiarray), (scalar, multiarray), (_frombuffer, numeric)):
        fn.__module__, fn.__qualname__ = module.__name__, fn.__name__
        setattr(module, fn.__name__, fn)
    core.multiarray, core.numeric = multiarray, numeric
    sys.modules.update({'numpy._core': core, 'numpy._core.multiarray': multiarray, 'numpy._core.numeric': numeric})
    return {np.core.multiarray._reconstruct: _reconstruct, np.core.multiarray.scalar: scalar,
            np.core.numeric._frombuffer: _frombuffer}


class Numpy2Pickler(pickle.Pickler):
    """numpy's own reduce values, with the numpy 1.x functions swapped for the numpy 2.x-named ones."""
    mapping = None

    def __init__(self, file, protocol):
        super().__init__(file, protocol=protocol)
        self.protocol = protocol

    def reducer_override(self, obj):
        if isinstance(obj, (np.ndarray, np.generic)):
            rv = obj.__reduce_ex__(self.protocol)
            return (self.mapping.get(rv[0], rv[0]),) + tuple(rv[1:])
        return NotImplemented


def dump(path, value, protocol, numpy2=False):
    if numpy2 and Numpy2Pickler.mapping is None:
        Numpy2Pickler.mapping = fake_numpy2()
    with open(path, 'wb') as f:
        if numpy2:
            Numpy2Pickler(f, protocol=protocol).dump(value)
        else:
            pickle.dump(value, f, protocol=protocol)
    with open(path, 'rb') as f:
        data = f.read()
    back = pickle.loads(data)  # the file is a valid pickle that Python reads back, to the same values
    # (numpy 1.x byte-swaps big-endian arrays to native order when it unpickles them; the file keeps '>').
    native = lambda x: json.dumps(describe(x)).replace('"dtype": ">', '"dtype": "<')  # noqa: E731
    assert native(back) == native(value), path
    if numpy2:
        assert b'numpy._core' in data and b'numpy.core' not in data, path
    return data


# ------------------------------------------------------------------------------------------------------------- values
def arrays(protocol):
    rng = np.random.default_rng(13)
    d = {'bool': np.array([[True, False, True], [False, False, True]])}
    for t in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64):
        info = np.iinfo(t)
        values = [info.min, info.min + 1, 0, 1, 2, 100, info.max - 1, info.max] + ([-1, -7] if info.min < 0 else [])
        d[np.dtype(t).name] = np.array(values, dtype=t)
    # Integers whose float32 value differs when rounded through float64 first (a cast must round once).
    d['int64_rounding'] = np.array([2**62 + 2**38 + 1, -(2**62 + 2**38 + 1), 2**24 + 1, 2**53 + 1], dtype=np.int64)
    d['uint64_rounding'] = np.array([2**63 + 2**39 + 1, 2**64 - 1, 2**63], dtype=np.uint64)
    special = [0.0, -0.0, 1.0, -2.5, 0.1, np.nan, np.inf, -np.inf, 1e-40, 3.4e38, 1e39, 1 + 2**-24, 1 + 3 * 2**-24, 65504.0, 6e-8]
    for t in (np.float16, np.float32, np.float64):
        with np.errstate(over='ignore'):
            d[np.dtype(t).name] = np.array(special + list(rng.normal(size=9)), dtype=t)
    d['float64_integral'] = np.array([[1.0, -2.0], [3.0, 2.0**62]])
    d['float16_integral'] = np.array([1.0, 2048.0, -3.0], dtype=np.float16)
    for code in ('>i2', '>i4', '>i8', '>u2', '>u4', '>u8', '>f2', '>f4', '>f8'):
        with np.errstate(over='ignore', invalid='ignore'):
            d['big_' + code[1:]] = np.array([1, -2, 3, 100, 0.5, np.nan, 7e4] if code[1] == 'f' else [1, 2, 3, 100, 255, 7],
                                            dtype=code[1:]).astype(code)
    d['fortran_f8'] = np.asfortranarray(rng.normal(size=(4, 3, 5)))
    d['fortran_i4'] = np.asfortranarray(np.arange(12, dtype=np.int32).reshape(3, 4))
    d['fortran_f4'] = np.asfortranarray(rng.normal(size=(2, 7)).astype(np.float32))
    d['fortran_bool'] = np.asfortranarray(np.array([[True, False], [False, False], [True, True]]))
    d['fortran_big_f4'] = np.asfortranarray(rng.normal(size=(3, 5)).astype('>f4'))
    d['transposed'] = np.arange(20, dtype=np.int16).reshape(4, 5).T
    d['strided'] = np.arange(48, dtype=np.float32).reshape(6, 8)[::2, 1::3]
    d['zero_d_float'] = np.array(3.5)
    d['zero_d_int'] = np.array(7, dtype=np.int64)
    d['one_row'] = np.arange(5, dtype=np.float64).reshape(1, 5)
    texts = ['a', 'héllo', 'You\u00e2\u0080\u0099re', '\U00020BB7x', '', 'tab\there', 'trail ']
    d['text'] = np.array(texts)
    d['text_big_endian'] = np.array(texts).astype('>U12')
    d['text_2d_fortran'] = np.asfortranarray(np.array([['ab', 'c'], ['def', ''], ['g', 'hij']]))
    d['text_object'] = np.array(texts, dtype=object)
    d['numbers_object'] = np.array([1, 2.5, np.int64(3), True, 2**62 + 2**38 + 1, np.float32(0.1), np.uint8(200)], dtype=object)
    d['integral_object'] = np.array([1, 2.0, np.int64(-3), False], dtype=object)
    d['mixed_object'] = np.array([1, 'b', None, (1, 2)], dtype=object)
    d['object_2d_fortran'] = np.asfortranarray(np.array([[1, 'b'], [3, 'd']], dtype=object))
    d['object_of_arrays'] = np.array([np.arange(3, dtype=np.float32), None], dtype=object)
    if protocol >= 3:  # protocol 2 writes an empty bytes value through builtins.bytes, outside the allow-list
        d['empty'] = np.zeros((0, 3), dtype=np.float32)
        d['empty_text'] = np.array([], dtype='<U3')
    return d


def scalars():
    return [np.int64(5), np.int32(-7), np.uint8(250), np.uint64(2**64 - 1), np.float64(0.1), np.float32(-2.5),
            np.float16(1.5), np.bool_(True), np.bool_(False), np.str_('héllo'), np.str_('\U00020BB7'), np.float64(np.nan),
            np.float64(3.0), np.int8(-128)]


def structures(protocol):
    shared = np.arange(6, dtype=np.float32).reshape(2, 3)
    value = {
        'none': None, 'true': True, 'false': False, 'small': 5, 'byte': 255, 'neg': -300, 'i16': 65535, 'i32': 2**31,
        'i64min': -2**63, 'i64max': 2**63 - 1, 'big': 2**100, 'bigneg': -2**70 - 5,
        'float': 0.1, 'nan': float('nan'), 'inf': float('-inf'), 'negzero': -0.0,
        'str': 'héllo \U00020BB7', 'empty': '', 'long_str': 'x' * 300 + 'é', 'bytes': b'\x00\xff\x10',
        'tuple': (1, 'a', (2.5, None)), 'empty_tuple': (), 'pair': (1, 2), 'triple': (1, 2, 3),
        'list': [1, [2, [3, {}]]], 'long_list': list(range(2500)), 'int_keys': {1: 'one', 2: 'two', -3: 'minus'},
        'tuple_key': {(1, 'a'): 'x'}, 'long_dict': {f'k{i}': i for i in range(1200)},
        'shared_a': shared, 'shared_b': shared, 'shared_list': [shared, {'again': shared}],
        'dtype': np.dtype('>i4'),
        'meld_like': [{'label': 'joy', 'features': {'text': 'You\u00e2\u0080\u0099re', 'audio': np.ones((3, 4), np.float32),
                                                    'video': np.asfortranarray(np.ones((2, 4))), 'audio_len': 3,
                                                    'video_len': np.int64(2)}}] * 3,
    }
    if protocol >= 4:  # sets before protocol 4 are REDUCE(builtins.set), outside the allow-list
        value['set'] = {1, 2, 3}
        value['frozenset'] = frozenset({'a', 'b'})
        value['empty_set'] = set()
    if protocol >= 5:  # bytearray before protocol 5 is REDUCE(builtins.bytearray)
        value['bytearray'] = bytearray(b'ab\x00')
    return value


def numpy2_value(protocol):
    rng = np.random.default_rng(2)
    return {'audio': rng.normal(size=(3, 4, 2)).astype(np.float32), 'fortran': np.asfortranarray(rng.normal(size=(3, 4))),
            'ids': np.array(['a', 'b'], dtype=object), 'text': np.array(['x', 'yz']), 'length': np.int64(4),
            'label': np.float32(0.5), 'lengths': np.array([1, 2, 3]), 'big_endian': np.arange(4, dtype='>i4')}


def group_values(out):
    expected = {}
    for p in (2, 3, 4, 5):
        for name, value, numpy2 in ((f'arrays_p{p}', arrays(p), False), (f'scalars_p{p}', scalars(), False),
                                    (f'structures_p{p}', structures(p), False), (f'numpy2_p{p}', numpy2_value(p), True)):
            dump(os.path.join(out, name + '.pkl'), value, p, numpy2)
            expected[name] = describe(value)
    return expected


# -------------------------------------------------------------------------------------------------------------- large
def group_large(out):
    rng = np.random.default_rng(5)
    value = {
        'audio': rng.normal(size=(600, 500)).astype(np.float32),                   # 1.2 MB, C order
        'vision': np.asfortranarray(rng.normal(size=(300, 40, 30))),                # 2.9 MB float64, Fortran order
        'labels_be': rng.integers(-1000, 1000, size=(1000, 300)).astype('>i4'),     # 1.2 MB big-endian
        'text': np.array([f'utterance {i} \u00e9\U00020BB7' for i in range(5000)], dtype='<U64'),  # 1.3 MB
        'half': rng.normal(size=(300, 2000)).astype(np.float16),                    # 1.2 MB
        'small': np.arange(10, dtype=np.float32),
        'medium': rng.normal(size=(70, 70)),                                        # 39 KB
    }
    expected = {}
    for p in (2, 3, 4, 5):
        name = f'large_p{p}'
        dump(os.path.join(out, name + '.pkl'), value, p)
        expected[name] = describe(value)
    # MOSEI-shaped (train/valid/test of audio, vision, text...) at 1/160 of the real N, for the memory check.
    n = 100
    split = lambda k: {  # noqa: E731
        'raw_text': np.array([f'sentence {i}' for i in range(k)]), 'audio': rng.normal(size=(k, 500, 74)).astype(np.float32),
        'vision': rng.normal(size=(k, 500, 35)).astype(np.float32), 'id': np.array([f'v{i}' for i in range(k)], dtype=object),
        'audio_lengths': [500] * k, 'vision_lengths': [500] * k, 'regression_labels': rng.normal(size=k).astype(np.float32)}
    with open(os.path.join(out, 'mosei_shaped.pkl'), 'wb') as f:
        pickle.dump({'train': split(n), 'valid': split(n // 4), 'test': split(n // 4)}, f, protocol=4)
    return expected


# ---------------------------------------------------------------------------------------------------------- malicious
def written_name(fn, protocol):
    """The global as the pickler writes it (pickle.py save_global: protocol < 3 maps names to Python 2's)."""
    module, name = fn.__module__, fn.__qualname__
    if protocol < 3:
        if (module, name) in _compat_pickle.REVERSE_NAME_MAPPING:
            module, name = _compat_pickle.REVERSE_NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.REVERSE_IMPORT_MAPPING:
            module = _compat_pickle.REVERSE_IMPORT_MAPPING[module]
    return f'{module}.{name}'


def payloads(marker):
    """Objects whose unpickling creates `marker`, each through a different global."""
    class System:
        def __reduce__(self):
            return os.system, (f'touch {marker}',)

    class Eval:
        def __reduce__(self):
            return builtins.eval, (f"open({marker!r}, 'w').close()",)

    class Exec:
        def __reduce__(self):
            return builtins.exec, (f"open({marker!r}, 'w').close()",)

    class Popen:
        def __reduce__(self):
            return subprocess.Popen, (['touch', marker],)

    class Import:
        def __reduce__(self):
            return builtins.__import__, ('os',)

    class GetSystem:  # getattr(__import__('os'), 'system'), itself called by Getattr's reduce
        def __call__(self, *args):
            raise AssertionError('only pickled')

        def __reduce__(self):
            return builtins.getattr, (Import(), 'system')

    class Getattr:
        def __reduce__(self):
            return GetSystem(), (f'touch {marker}',)

    return {'system': (System(), os.system), 'eval': (Eval(), builtins.eval), 'exec': (Exec(), builtins.exec),
            'popen': (Popen(), subprocess.Popen), 'getattr': (Getattr(), builtins.getattr)}


def group_malicious(out):
    # Controls: the same payloads do run under Python's pickle.loads (the test is only meaningful if they are live).
    controls = {}
    for kind, (payload, _) in payloads(os.path.join(out, 'control_{kind}')).items():
        marker = os.path.join(out, f'control_{kind}')
        payload = payloads(marker)[kind][0]
        result = pickle.loads(pickle.dumps(payload, protocol=4))
        if isinstance(result, subprocess.Popen):
            result.wait()
        assert os.path.exists(marker), kind
        controls[kind] = marker
    files = []
    arrays_ = {'audio': np.ones((4, 3), np.float32), 'vision': np.asfortranarray(np.zeros((2, 5)))}
    for protocol in (0, 2, 3, 4, 5):
        for kind in payloads('x'):
            for where in ('bare', 'in_dict', 'after_arrays'):
                name = f'{kind}_{where}_p{protocol}'
                marker = os.path.join(out, 'marker_' + name)
                payload, fn = payloads(marker)[kind]
                value = {'bare': payload, 'in_dict': dict(arrays_, evil=payload),
                         'after_arrays': [arrays_['audio'], {'vision': arrays_['vision'], 'items': [1, {'x': [payload]}]}]}[where]
                path = os.path.join(out, name + '.pkl')
                with open(path, 'wb') as f:
                    pickle.dump(value, f, protocol=protocol)
                global_ = written_name(fn, protocol)
                with open(path, 'rb') as f:
                    data = f.read()
                module, attr = global_.rsplit('.', 1)
                assert module.encode() in data and attr.encode() in data, name
                files.append({'file': name + '.pkl', 'global': global_, 'marker': marker})
    return {'files': files, 'controls': controls}


# ------------------------------------------------------------------------------------------------------------- broken
def dataset_like():
    rng = np.random.default_rng(3)
    split = lambda n: {  # noqa: E731
        'raw_text': np.array([f'text {i} é' for i in range(n)]), 'audio': rng.normal(size=(n, 6, 4)).astype(np.float32),
        'vision': np.asfortranarray(rng.normal(size=(n, 5, 3))), 'id': np.array([f'id{i}' for i in range(n)], dtype=object),
        'audio_lengths': [6] * n, 'vision_lengths': np.full(n, 5), 'regression_labels': rng.normal(size=n).astype(np.float32),
        'meta': {'scalar': np.int64(n), 'ratio': 0.5, 'names': ('a', 'b')}}
    return {'train': split(6), 'valid': split(2), 'test': split(2)}


def group_broken(out):
    expected = {'datasets': {}, 'unsupported': {}}
    for p in (2, 4, 5):
        name = f'dataset_p{p}.pkl'
        dump(os.path.join(out, name), dataset_like(), p)
        expected['datasets'][name] = describe(dataset_like())
    name = 'dataset_p4_numpy2.pkl'
    dump(os.path.join(out, name), dataset_like(), 4, numpy2=True)
    expected['datasets'][name] = describe(dataset_like())

    def unsupported(name, value, words, protocol=4, **kwargs):
        with open(os.path.join(out, name), 'wb') as f:
            pickle.dump(value, f, protocol=protocol, **kwargs)
        expected['unsupported'][name] = words

    unsupported('complex.pkl', {'ok': np.ones(2), 'bad': np.ones(3, dtype=np.complex128)}, ['c16', 'complex'])
    unsupported('datetime.pkl', np.array(['2020-01-01'], dtype='datetime64[D]'), ['M8', 'datetime64'])
    unsupported('structured.pkl', np.zeros(2, dtype=[('a', 'f4'), ('b', 'i4')]), ['V8', 'structured'])
    unsupported('bytes_dtype.pkl', np.array([b'ab', b'c']), ['S2', 'bytes'])
    unsupported('longdouble.pkl', np.ones(2, dtype=np.longdouble), ['f16'])
    unsupported('complex_scalar.pkl', [np.complex64(1 + 2j)], ['c8', 'complex'])
    buffers = []
    unsupported('out_of_band.pkl', np.arange(4.0), ['out-of-band', 'buffer_callback'], protocol=5, buffer_callback=buffers.append)
    assert buffers, 'the array went out of band'

    class PersistentArrays(pickle.Pickler):
        def persistent_id(self, obj):
            return 'array-1' if isinstance(obj, np.ndarray) else None

    for p in (0, 4):
        with open(os.path.join(out, f'persistent_p{p}.pkl'), 'wb') as f:
            PersistentArrays(f, protocol=p).dump({'a': np.ones(2)})
        expected['unsupported'][f'persistent_p{p}.pkl'] = ['persistent']
    copyreg.add_extension('numpy', 'ndarray', 250)
    try:
        unsupported('extension.pkl', np.ones(3), ['extension'], protocol=2)
    finally:
        copyreg.remove_extension('numpy', 'ndarray', 250)
    return expected


def main():
    group, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    expected = {'values': group_values, 'large': group_large, 'malicious': group_malicious, 'broken': group_broken}[group](out)
    with open(os.path.join(out, 'expected.json'), 'w', encoding='utf-8') as f:
        json.dump(expected, f)


if __name__ == '__main__':
    main()
