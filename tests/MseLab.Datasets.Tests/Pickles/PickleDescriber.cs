using System.Globalization;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MseLab.Datasets.Pickles;

namespace MseLab.Datasets.Tests.Pickles;

/// <summary>
/// What SafeUnpickler returned, in the canonical JSON form make_pickles.py's describe() writes for the Python value
/// (ints and float bits as strings, tuples/dicts/sets tagged, arrays by dtype, shape, order and their float32, int64 and
/// str conversions), so the two compare as text.
/// </summary>
internal static class PickleDescriber
{
    private const long Large = 10000;

    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonNode? Describe(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        long l => Tagged("int", l.ToString(CultureInfo.InvariantCulture)),
        BigInteger big => Tagged("int", big.ToString(CultureInfo.InvariantCulture)),
        double d => Tagged("float", BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture)),
        PickleBytes bytes => Tagged("bytes", Convert.ToHexStringLower(bytes.ToArray())),
        object?[] tuple => Tagged("tuple", new JsonArray([.. tuple.Select(Describe)])),
        List<object?> list => new JsonArray([.. list.Select(Describe)]),
        Dictionary<object, object?> dict => Tagged("dict", new JsonArray([.. dict.Select(p => (JsonNode)new JsonArray(Describe(p.Key), Describe(p.Value)))])),
        HashSet<object?> set => Tagged("set", new JsonArray([.. set.Select(Describe).OrderBy(n => n?.ToJsonString() ?? "null", StringComparer.Ordinal)])),
        NumpyArray array => Tagged("ndarray", DescribeArray(array)),
        NumpyScalar scalar => Tagged("scalar", DescribeScalar(scalar)),
        NumpyDtype dtype => Tagged("dtype", dtype.ToString()),
        _ => throw new InvalidOperationException($"SafeUnpickler returned an undocumented type {value.GetType()}"),
    };

    private static JsonObject DescribeArray(NumpyArray array)
    {
        var f32 = Try(array.ToFloat32);
        var i64 = Try(array.ToInt64);
        var large = array.Count > Large;
        return new JsonObject
        {
            ["dtype"] = array.Dtype.ToString(),
            ["shape"] = new JsonArray([.. array.Shape.Select(d => (JsonNode)JsonValue.Create(d))]),
            ["fortran"] = array.FortranOrder,
            ["f32"] = f32 is null ? null
                : large ? Checksum(f32.Select(v => (ulong)BitConverter.SingleToUInt32Bits(v)))
                : new JsonArray([.. f32.Select(v => (JsonNode)JsonValue.Create(BitConverter.SingleToUInt32Bits(v)))]),
            ["i64"] = i64 is null ? null
                : large ? Checksum(i64.Select(v => (ulong)v))
                : new JsonArray([.. i64.Select(v => (JsonNode)JsonValue.Create(v.ToString(CultureInfo.InvariantCulture)))]),
            ["str"] = Try(array.ToStrings) is { } texts ? new JsonArray([.. texts.Select(t => (JsonNode)JsonValue.Create(t))]) : null,
            ["objects"] = array.Objects is { } objects ? new JsonArray([.. objects.Select(Describe)]) : null,
        };
    }

    private static JsonObject DescribeScalar(NumpyScalar scalar) => new()
    {
        ["dtype"] = scalar.Dtype.ToString(),
        ["f64"] = Try(() => BitConverter.DoubleToInt64Bits(scalar.ToDouble()).ToString(CultureInfo.InvariantCulture)),
        ["i64"] = Try(() => scalar.ToInt64().ToString(CultureInfo.InvariantCulture)),
        ["text"] = Try(scalar.ToText),
    };

    /// <summary>make_pickles.py's checksum(): two order-sensitive sums of the values as uint64, wrapping.</summary>
    private static JsonObject Checksum(IEnumerable<ulong> values)
    {
        ulong sum = 0, weighted = 0, index = 0;
        foreach (var v in values)
        {
            unchecked
            {
                sum += v;
                weighted += v * index++;
            }
        }

        return new JsonObject { ["sum"] = new JsonArray(sum.ToString(CultureInfo.InvariantCulture), weighted.ToString(CultureInfo.InvariantCulture)) };
    }

    private static JsonObject Tagged(string tag, JsonNode? value) => new() { [tag] = value };

    private static T? Try<T>(Func<T> read) where T : class
    {
        try
        {
            return read();
        }
        catch (InvalidDataException)
        {
            // Not convertible that way (e.g. ToFloat32 of a str array): make_pickles.py writes null there too.
            return null;
        }
    }
}
