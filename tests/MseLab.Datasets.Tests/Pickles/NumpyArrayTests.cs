using System.Runtime.InteropServices;
using MseLab.Datasets.Pickles;

namespace MseLab.Datasets.Tests.Pickles;

/// <summary>The conversions' contract where no numpy value is involved: refusals, ranges and index mapping.</summary>
public sealed class NumpyArrayTests
{
    [Theory]
    [InlineData('f', 4, false, "<f4")]
    [InlineData('f', 8, true, ">f8")]
    [InlineData('i', 1, false, "|i1")]
    [InlineData('u', 1, true, "|u1")]
    [InlineData('b', 1, false, "|b1")]
    [InlineData('U', 28, false, "<U7")]
    [InlineData('U', 4, true, ">U1")]
    [InlineData('O', 8, false, "|O")]
    public void ToString_EachKind_NumpysDtypeStr(char kind, int size, bool bigEndian, string expected) =>
        Assert.Equal(expected, new NumpyDtype(kind, size, bigEndian).ToString());

    [Fact]
    public void ReadFloat32_FortranArray_ReturnsCOrder()
    {
        // A (2, 3) array [[0, 1, 2], [3, 4, 5]] stored column by column.
        var array = Array(new NumpyDtype('f', 4, false), [2, 3], fortran: true, [0f, 3, 1, 4, 2, 5]);

        var window = new float[4];
        array.ReadFloat32(1, window);

        Assert.Equal([0f, 1, 2, 3, 4, 5], array.ToFloat32());
        Assert.Equal([1f, 2, 3, 4], window);
    }

    [Fact]
    public void ReadFloat32_OutsideTheArray_ArgumentOutOfRange()
    {
        var array = Array(new NumpyDtype('f', 4, false), [3], fortran: false, [1f, 2, 3]);

        Assert.Throws<ArgumentOutOfRangeException>(() => array.ReadFloat32(2, new float[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => array.ReadFloat32(-1, new float[1]));
    }

    [Fact]
    public void ToFloat32_TextArray_InvalidDataNamingTheDtype()
    {
        var array = new NumpyArray { Dtype = new NumpyDtype('U', 8, false), Shape = [1], Data = new PickleBytes(new byte[8]) };

        var error = Assert.Throws<InvalidDataException>(array.ToFloat32);

        Assert.Contains("<U2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToInt64_NonIntegralFloat_InvalidDataNamingElementAndDtype()
    {
        var array = Array(new NumpyDtype('f', 8, false), [3], fortran: false, [1.0, 2.5, 3.0]);

        var error = Assert.Throws<InvalidDataException>(array.ToInt64);

        Assert.Contains("element 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("<f8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToInt64_UInt64AboveInt64_InvalidData()
    {
        var array = Array(new NumpyDtype('u', 8, false), [2], fortran: false, [5UL, ulong.MaxValue]);

        Assert.Throws<InvalidDataException>(array.ToInt64);
    }

    [Fact]
    public void ToStrings_NumericArray_InvalidData()
    {
        var array = Array(new NumpyDtype('i', 8, false), [1], fortran: false, [7L]);

        Assert.Throws<InvalidDataException>(array.ToStrings);
    }

    [Fact]
    public void ToFloat32_ObjectArrayWithAStr_InvalidDataNamingTheElement()
    {
        var array = new NumpyArray { Dtype = new NumpyDtype('O', 8, false), Shape = [2], Objects = [1L, "two"] };

        var error = Assert.Throws<InvalidDataException>(array.ToFloat32);

        Assert.Contains("object element 1 is a str", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Count_ZeroDimensional_One() =>
        Assert.Equal(1, Array(new NumpyDtype('f', 8, false), [], fortran: false, [2.5]).Count);

    private static NumpyArray Array<T>(NumpyDtype dtype, long[] shape, bool fortran, T[] values) where T : struct => new()
    {
        Dtype = dtype,
        Shape = shape,
        FortranOrder = fortran,
        Data = new PickleBytes(MemoryMarshal.AsBytes(values.AsSpan()).ToArray()),
    };
}
