using System.Globalization;
using AgenteVendedor.Catalog;
using AgenteVendedor.Tenancy;

namespace AgenteVendedor.Conversations;

/// <summary>Who the agent is for this turn: the empresa's prompt settings (its FAQ too), with the request's overrides.</summary>
public sealed record AgentSettings(
    string EmpresaName, string AgentName, string Tone, string Instructions, CultureInfo Culture, string Currency, string? Type,
    IReadOnlyList<FaqEntry>? Faq = null)
{
    public bool Formal => Tone is "formal" or "profesional";

    /// <summary>The empresa's frequent questions with their answers; empty when it has none.</summary>
    public IReadOnlyList<FaqEntry> Questions => Faq ?? [];

    /// <summary>Money as the empresa's customers write it: $189.900 or $189.900,50 in es-CO.</summary>
    public string Money(decimal amount)
    {
        var symbol = SymbolFor(Culture, Currency);
        var digits = amount == decimal.Truncate(amount) ? amount.ToString("N0", Culture) : amount.ToString("N2", Culture);
        return symbol + digits;
    }

    private static string SymbolFor(CultureInfo culture, string currency)
    {
        try
        {
            var region = new RegionInfo(culture.Name);
            return region.ISOCurrencySymbol == currency ? region.CurrencySymbol : currency + " ";
        }
        catch (ArgumentException)
        {
            return currency + " ";
        }
    }
}

/// <summary>What the agent answered; Products are the catalog products the answer shows.</summary>
public sealed record AgentReply(string Text, string Type, IReadOnlyList<Product> Products, Guid? OrderId = null);

/// <summary>A way of driving the sales tools: the deterministic Spanish parser, or an LLM with function calling.</summary>
public interface IAgentDriver
{
    string Name { get; }

    Task<AgentReply> RespondAsync(SalesTools tools, string message, AgentSettings settings, CancellationToken cancellationToken = default);
}

/// <summary>The configured drivers by name; <see cref="Default"/> is "openai" when a key is configured, else "offline".</summary>
public sealed class AgentDrivers(IEnumerable<IAgentDriver> drivers, string defaultName)
{
    private readonly Dictionary<string, IAgentDriver> _byName = drivers.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

    public IAgentDriver Default => _byName[defaultName];

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public IAgentDriver? Find(string? name) => name is null ? Default : _byName.GetValueOrDefault(name);
}

/// <summary>How long one agent turn may take in all (Agent:TurnTimeoutSeconds), tool rounds included.</summary>
public sealed record AgentOptions(TimeSpan TurnTimeout);
