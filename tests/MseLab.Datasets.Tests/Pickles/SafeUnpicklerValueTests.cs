using MseLab.Datasets.Pickles;

namespace MseLab.Datasets.Tests.Pickles;

/// <summary>Pickles written by Python 3.11 and numpy 1.24 (and numpy 2.x module paths) read to numpy's own values.</summary>
public sealed class SafeUnpicklerValueTests(ValuePickles pickles) : IClassFixture<ValuePickles>
{
    public static TheoryData<int> Protocols() => [2, 3, 4, 5];

    public static TheoryData<string> Files() =>
        [.. from protocol in new[] { 2, 3, 4, 5 } from kind in new[] { "arrays", "scalars", "structures", "numpy2" } select $"{kind}_p{protocol}"];

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_PythonPickle_MatchesNumpy(string name)
    {
        var value = SafeUnpickler.Load(pickles.PathOf(name + ".pkl"));

        PickleAssert.Same(pickles.Expected[name], PickleDescriber.Describe(value), name);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Load_SameArrayTwice_OneSharedArray(int protocol)
    {
        var value = Dict(SafeUnpickler.Load(pickles.PathOf($"structures_p{protocol}.pkl")));

        var shared = Assert.IsType<NumpyArray>(value["shared_a"]);
        Assert.Same(shared, value["shared_b"]);
        var list = Assert.IsType<List<object?>>(value["shared_list"]);
        Assert.Same(shared, list[0]);
        Assert.Same(shared, Dict(list[1])["again"]);
        Assert.Equal([0f, 1, 2, 3, 4, 5], shared.ToFloat32());
        var items = Assert.IsType<List<object?>>(value["meld_like"]);
        Assert.Same(items[0], items[2]);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Load_FortranAndBigEndianArrays_KeepTheirLayoutAndByteOrder(int protocol)
    {
        var value = Dict(SafeUnpickler.Load(pickles.PathOf($"arrays_p{protocol}.pkl")));

        var fortran = Assert.IsType<NumpyArray>(value["fortran_f8"]);
        Assert.True(fortran.FortranOrder);
        Assert.Equal([4L, 3, 5], fortran.Shape);
        Assert.Equal(new NumpyDtype('f', 8, BigEndian: true), Assert.IsType<NumpyArray>(value["big_f8"]).Dtype);
        Assert.Equal(">U12", Assert.IsType<NumpyArray>(value["text_big_endian"]).Dtype.ToString());
        Assert.False(Assert.IsType<NumpyArray>(value["object_2d_fortran"]).FortranOrder);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void ReadFloat32_EveryWindow_EqualsTheSameSliceOfToFloat32(int protocol)
    {
        var value = Dict(SafeUnpickler.Load(pickles.PathOf($"arrays_p{protocol}.pkl")));

        var numeric = value.Where(p => p.Value is NumpyArray { Dtype.IsNumeric: true } || p.Key is "numbers_object" or "integral_object");
        Assert.True(numeric.Count() > 30);
        foreach (var (name, array) in numeric.Select(p => (p.Key, (NumpyArray)p.Value!)))
        {
            var all = array.ToFloat32();
            for (var start = 0; start <= all.Length; start++)
            {
                for (var length = 0; start + length <= all.Length; length++)
                {
                    var window = new float[length];
                    array.ReadFloat32(start, window);
                    Assert.True(all.AsSpan(start, length).SequenceEqual(window), $"{name}: window [{start}, {start + length})");
                }
            }
        }
    }

    private static Dictionary<object, object?> Dict(object? value) => Assert.IsType<Dictionary<object, object?>>(value);
}
