using System.Numerics;

namespace MseLab.Datasets.Pickles;

/// <summary>Names of unpickled values in Python's terms, for error messages.</summary>
internal static class PickleValues
{
    public static string Describe(object? value) => value switch
    {
        null => "None",
        bool => "a bool",
        long or BigInteger => "an int",
        double => "a float",
        string => "a str",
        PickleBytes => "a bytes value",
        object?[] tuple => $"a {tuple.Length}-tuple",
        List<object?> => "a list",
        Dictionary<object, object?> => "a dict",
        HashSet<object?> => "a set",
        NumpyArray array => $"a numpy array ({array})",
        NumpyDtype dtype => $"a numpy dtype ({dtype})",
        NumpyScalar scalar => $"a numpy scalar ({scalar.Dtype})",
        PickleGlobal global => $"the global {global.Name}",
        PendingArray => "a numpy array before its state (BUILD)",
        PendingDtype pending => $"a numpy dtype ('{pending.Dtype}') before its state (BUILD)",
        _ => value.GetType().Name,
    };
}
