using System.Reflection;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Models.Checkpoints;

/// <summary>
/// One parameter of a module tree by its state-dict name: the module that owns it and its local name. A parameter on
/// the meta device is materialised: a tensor is allocated on the target device, filled, and put in its place (the
/// owner's field and registration), as TorchSharp's own <c>Module.to</c> replaces parameters.
/// </summary>
internal sealed class ParameterSlot(nn.Module owner, string localName, Parameter parameter)
{
    // TorchSharp 0.107 (pinned): the protected registration hook that Linear's weight setter and Module.to use.
    private static readonly MethodInfo Register = typeof(nn.Module).GetMethod(
        "ConditionallyRegisterParameter", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(string), typeof(Parameter)])
        ?? throw new MissingMethodException("TorchSharp's Module.ConditionallyRegisterParameter(string, Parameter) is gone; update ParameterSlot for this TorchSharp.");

    public Parameter Current { get; private set; } = parameter;

    public bool OnMeta => Current.device_type == DeviceType.META;

    /// <summary>Every parameter of <paramref name="root"/> by its state-dict name.</summary>
    public static Dictionary<string, ParameterSlot> Of(nn.Module root)
    {
        var slots = new Dictionary<string, ParameterSlot>(StringComparer.Ordinal);
        Collect(root, "", slots);
        return slots;
    }

    /// <summary>
    /// Fills the parameter by <paramref name="fill"/>: in place when it holds memory, else into a new tensor on
    /// <paramref name="device"/> that then replaces the meta parameter.
    /// </summary>
    public void Fill(Device device, Action<Tensor> fill)
    {
        using var noGrad = no_grad();
        if (!OnMeta)
        {
            fill(Current);
            return;
        }

        var data = empty(Current.shape, Current.dtype, device);
        try
        {
            fill(data);
        }
        catch
        {
            data.Dispose();
            throw;
        }

        var replacement = new Parameter(data, Current.requires_grad);
        // Native-backed modules (Embedding) keep their own reference: the public setter of the property named like the
        // parameter (weight, bias) updates it.
        if (owner.GetType().GetProperty(localName, BindingFlags.Instance | BindingFlags.Public) is { SetMethod.IsPublic: true } property
            && property.PropertyType.IsAssignableFrom(typeof(Parameter)))
        {
            property.SetValue(owner, replacement);
        }

        for (var type = owner.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (ReferenceEquals(field.GetValue(owner), Current))
                {
                    field.SetValue(owner, replacement);
                }
            }
        }

        Register.Invoke(owner, [localName, replacement]);
        Current.Dispose();
        Current = replacement;
    }

    private static void Collect(nn.Module module, string prefix, Dictionary<string, ParameterSlot> slots)
    {
        foreach (var (name, parameter) in module.named_parameters(recurse: false))
        {
            slots.TryAdd(prefix + name, new ParameterSlot(module, name, parameter));
        }

        foreach (var (name, child) in module.named_children())
        {
            Collect(child, $"{prefix}{name}.", slots);
        }
    }
}
