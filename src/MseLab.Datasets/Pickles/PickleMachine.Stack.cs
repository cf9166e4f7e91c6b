namespace MseLab.Datasets.Pickles;

/// <summary>The machine's stack, marks and memo, and building containers and objects from what they hold.</summary>
internal sealed partial class PickleMachine
{
    private int MarkBase => _marks.Count > 0 ? _marks[^1] : 0;

    private void Push(object? value) => _stack.Add(value);

    private object? PopValue()
    {
        if (_stack.Count <= MarkBase)
        {
            throw _errors.Format(_marks.Count > 0 ? "nothing on the stack above the last MARK" : "the stack is empty");
        }

        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Top() => _stack.Count > MarkBase ? _stack[^1] : throw _errors.Format("the stack is empty");

    private T TopAs<T>(string what) => _errors.Expect<T>(Top(), what);

    /// <summary>The items above the last MARK, which is removed with them.</summary>
    private List<object?> PopToMark()
    {
        if (_marks.Count == 0)
        {
            throw _errors.Format("no MARK to close");
        }

        var start = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private void Store(long key)
    {
        var value = Top();
        _memo[key] = value;
        if (value is PendingValue pending)
        {
            pending.MemoKeys.Add(key);
        }
    }

    private void Fetch(long key) =>
        Push(_memo.TryGetValue(key, out var value) ? value : throw _errors.Format($"memo entry {key} is read before it was stored"));

    private PickleGlobal Allowed(string module, string name) =>
        PickleGlobal.Find(module, name) ?? throw _errors.Unsafe($"{module}.{name}");

    private object Call(object? callable, object?[] args, string opcode) => callable is PickleGlobal global
        ? _numpy.Call(global, args)
        : throw _errors.Format($"{opcode} calls {PickleValues.Describe(callable)}, which is not callable");

    private object New(object? cls, object?[] args) => cls switch
    {
        PickleGlobal { Kind: GlobalKind.Dtype } dtype => _numpy.Call(dtype, args),
        PickleGlobal other => throw _errors.Unsupported($"{other.Name}.__new__ (NEWOBJ); numpy pickles arrays with REDUCE"),
        _ => throw _errors.Format($"NEWOBJ on {PickleValues.Describe(cls)}, which is not a class"),
    };

    private void BuildTop(object? state)
    {
        var target = Top();
        object built = target switch
        {
            PendingArray => _numpy.BuildArray(state),
            PendingDtype dtype => _numpy.BuildDtype(dtype, state),
            _ => throw _errors.Format($"BUILD on {PickleValues.Describe(target)}; only numpy arrays and dtypes take a state here"),
        };

        // Replace the placeholder wherever it already is: the stack (DUP) and the memo (MEMOIZE right after REDUCE).
        var pending = (PendingValue)target!;
        for (var i = 0; i < _stack.Count; i++)
        {
            if (ReferenceEquals(_stack[i], pending))
            {
                _stack[i] = built;
            }
        }

        foreach (var key in pending.MemoKeys)
        {
            if (ReferenceEquals(_memo[key], pending))
            {
                _memo[key] = built;
            }
        }
    }

    private static Dictionary<object, object?> NewDict() => new(PickleKeyComparer.Instance);

    private void AddPairs(Dictionary<object, object?> dict, List<object?> items)
    {
        if (items.Count % 2 != 0)
        {
            throw _errors.Format($"{items.Count} items for a dict (keys and values must pair up)");
        }

        for (var i = 0; i < items.Count; i += 2)
        {
            SetKey(dict, items[i], items[i + 1]);
        }
    }

    private void SetKey(Dictionary<object, object?> dict, object? key, object? value) => dict[Hashable(key)
        ?? throw _errors.Unsupported("a dict with the key None; dataset dicts are keyed by str or int")] = value;

    private void AddElements(HashSet<object?> set, List<object?> items)
    {
        foreach (var item in items)
        {
            set.Add(Hashable(item));
        }
    }

    private object? Hashable(object? key) => key is List<object?> or Dictionary<object, object?> or HashSet<object?> or NumpyArray or PendingValue
        ? throw _errors.Format($"{PickleValues.Describe(key)} used as a dict key or set element (it is unhashable)")
        : key;
}
