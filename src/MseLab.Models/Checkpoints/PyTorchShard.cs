using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MseLab.Models.Checkpoints;

/// <summary>
/// Reads one <c>pytorch_model*.bin</c> (a PyTorch zip state dict, as <c>torch.save</c> writes since 1.6) with
/// TorchSharp.PyBridge. Its unpickler (Razorvine.Pickle) builds objects only through the constructors PyBridge registers
/// (tensor rebuild, OrderedDict); any other global becomes inert data, so a file cannot run code. PyBridge 1.4.4 hands
/// tensor metadata without data only through an internal type, so a shard is read whole: the extra memory while loading
/// is one shard (HF writes shards of at most a few GB; ChatGLM3-6B's are 1.8 GB).
/// </summary>
internal static class PyTorchShard
{
    public static Dictionary<string, Tensor> Read(string path)
    {
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false, skipTensorRead: false);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or FileNotFoundException or UnauthorizedAccessException))
        {
            throw new InvalidDataException(
                $"{path}: corrupt or unsupported PyTorch checkpoint ({ex.GetType().Name}: {ex.Message}). It must be a zip state dict written by " +
                "torch.save(model.state_dict()) (PyTorch 1.6 or newer); re-download it, or convert the model to safetensors.", ex);
        }

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string name && entry.Value is Tensor tensor)
            {
                tensors[name] = tensor;
            }
        }

        return tensors;
    }
}
