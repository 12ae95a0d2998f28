using System.Globalization;
using System.Net.Mail;
using AgenteVendedor.Tenancy;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>Collects field errors in Spanish, keyed by the JSON field name the client sent.</summary>
public sealed class Validation
{
    private static readonly Lazy<HashSet<string>> CurrencyCodes = new(() =>
        CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(c => { try { return new RegionInfo(c.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
            .Where(code => code is { Length: 3 })
            .Select(code => code!)
            .ToHashSet(StringComparer.Ordinal));

    private readonly Dictionary<string, List<string>> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public ProblemAnswer Problem() => Problems.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    /// <summary>Trims; an absent or blank value is an error when required.</summary>
    public string? Text(string field, string? value, int max, bool required = true, int min = 1)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                Add(field, "Es obligatorio.");
            }

            return null;
        }

        if (text.Length < min || text.Length > max)
        {
            Add(field, min > 1 ? $"Debe tener entre {min} y {max} caracteres." : $"Debe tener como máximo {max} caracteres.");
        }

        return text;
    }

    public string? Email(string field, string? value)
    {
        var text = Text(field, value, 254)?.ToLowerInvariant();
        if (text is not null && !(MailAddress.TryCreate(text, out var address) && address.Address == text && address.Host.Contains('.')))
        {
            Add(field, "No es un correo electrónico válido.");
        }

        return text;
    }

    public string? Password(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(field, "Es obligatorio.");
            return null;
        }

        if (value.Length < 8 || value.Length > 128)
        {
            Add(field, "La contraseña debe tener entre 8 y 128 caracteres.");
        }

        return value;
    }

    public string? Role(string field, string? value, bool required)
    {
        var role = Text(field, value, 20, required)?.ToLowerInvariant();
        if (role is not null && !Roles.IsKnown(role))
        {
            Add(field, $"Rol desconocido. Usa uno de: {string.Join(", ", Roles.All)}.");
        }

        return role;
    }

    public string? Currency(string field, string? value)
    {
        var code = Text(field, value, 3, required: false)?.ToUpperInvariant();
        if (code is not null && !CurrencyCodes.Value.Contains(code))
        {
            Add(field, "No es un código de moneda ISO 4217 conocido (por ejemplo COP, MXN, USD).");
        }

        return code;
    }

    public string? Culture(string field, string? value)
    {
        var name = Text(field, value, 20, required: false);
        if (name is null)
        {
            return null;
        }

        try
        {
            var culture = CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            if (culture.Equals(CultureInfo.InvariantCulture) || culture.IsNeutralCulture)
            {
                Add(field, "Indica una cultura con país, por ejemplo es-CO o es-MX.");
            }

            return culture.Name;
        }
        catch (CultureNotFoundException)
        {
            Add(field, "No es una cultura conocida (por ejemplo es-CO, es-MX, es-PE).");
            return name;
        }
    }

    public string? TimeZone(string field, string? value)
    {
        var id = Text(field, value, 64, required: false);
        if (id is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(id, out _))
        {
            Add(field, "No es una zona horaria IANA conocida (por ejemplo America/Bogota).");
        }

        return id;
    }

    public string? OneOf(string field, string? value, IReadOnlyList<string> allowed)
    {
        var text = Text(field, value, 40, required: false)?.ToLowerInvariant();
        if (text is not null && !allowed.Contains(text))
        {
            Add(field, $"Valor no admitido. Usa uno de: {string.Join(", ", allowed)}.");
        }

        return text;
    }
}
