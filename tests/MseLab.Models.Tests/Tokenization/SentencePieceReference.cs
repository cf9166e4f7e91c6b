using System.Text.Json.Nodes;
using MseLab.Models.Tests.Support;

namespace MseLab.Models.Tests.Tokenization;

/// <summary>Trains and runs SentencePiece models with Debian's python3-sentencepiece (the C++ library).</summary>
internal static class SentencePieceReference
{
    private const string Script = "Tokenization/python/sentencepiece_reference.py";

    public static void Train(string path, IEnumerable<string> corpus, JsonObject options) =>
        DebianPython.Run(Script, new JsonObject
        {
            ["train"] = new JsonArray(new JsonObject
            {
                ["path"] = path,
                ["corpus"] = new JsonArray([.. corpus.Select(t => JsonValue.Create(t))]),
                ["options"] = options,
            }),
        });

    public static (int[][] Ids, int VocabSize) Encode(string path, IReadOnlyList<string> texts)
    {
        var result = DebianPython.Run(Script, new JsonObject
        {
            ["encode"] = new JsonArray(new JsonObject
            {
                ["path"] = path,
                ["texts"] = new JsonArray([.. texts.Select(t => JsonValue.Create(t))]),
            }),
        });
        var ids = result["ids"]![0]!.AsArray().Select(row => row!.AsArray().Select(id => (int)id!).ToArray()).ToArray();
        return (ids, (int)result["vocab_size"]![0]!);
    }
}
