namespace MseLab.Datasets.Pickles;

/// <summary>
/// Walks the unpickled value once (iteratively: dataset lists are long, and pickles may share or nest containers) so that
/// only the documented types come out: a placeholder that never got its BUILD, or an allowed function or class object
/// itself, is an error rather than an internal type in the caller's hands.
/// </summary>
internal static class ResultCheck
{
    public static void Check(object? root, PickleErrors errors)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object?>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var value = pending.Pop();
            if (value is null || !seen.Add(value))
            {
                continue;
            }

            switch (value)
            {
                case PendingValue:
                    throw errors.Format($"the result holds {PickleValues.Describe(value)}");
                case PickleGlobal global:
                    throw errors.Unsupported($"the result holds the function or class {global.Name} itself, not data");
                case object?[] tuple:
                    PushAll(pending, tuple);
                    break;
                case List<object?> list:
                    PushAll(pending, list);
                    break;
                case HashSet<object?> set:
                    PushAll(pending, set);
                    break;
                case Dictionary<object, object?> dict:
                    PushAll(pending, dict.Keys);
                    PushAll(pending, dict.Values);
                    break;
                case NumpyArray { Objects: { } objects }:
                    PushAll(pending, objects);
                    break;
                default:
                    break;
            }
        }
    }

    private static void PushAll(Stack<object?> pending, IEnumerable<object?> values)
    {
        foreach (var value in values)
        {
            // Leaves (numbers, strings) need no visit; skipping them keeps the walk cheap on long lists of ints.
            if (value is not (null or long or double or bool or string))
            {
                pending.Push(value);
            }
        }
    }
}
