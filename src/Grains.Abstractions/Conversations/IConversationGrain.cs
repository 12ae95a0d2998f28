using AgenteVendedor.Common;

namespace AgenteVendedor.Conversations;

/// <summary>
/// One per chat (key: see <see cref="ConversationKey"/>): the session — recent turns, cart,
/// captured customer data, stage — persisted with Orleans grain storage.
/// </summary>
public interface IConversationGrain : IGrainWithStringKey
{
    /// <summary>Answers one customer message through the sales agent; the token ends a turn nobody waits for any more.</summary>
    Task<Outcome<ChatReply>> HandleInboundAsync(ChatTurn turn, CancellationToken cancellationToken = default);

    [Orleans.Concurrency.ReadOnly]
    Task<bool> ExistsAsync();

    /// <summary>New rows wait in the inbox: answer them from a timer after a short debounce (a burst as one turn). Fire and forget.</summary>
    [Orleans.Concurrency.OneWay]
    Task ProcessInboxAsync();

    /// <summary>A person takes the chat over (the agent stops answering), or gives it back.</summary>
    Task<Outcome<ConversationDetail>> SetHandoffAsync(Actor actor, bool human);

    /// <summary>A person's reply, sent through the chat's channel.</summary>
    Task<Outcome<ConversationDetail>> SendAsHumanAsync(Actor actor, string text);

    [Orleans.Concurrency.ReadOnly]
    Task<ConversationDetail?> GetDetailAsync();
}

public static class ConversationKey
{
    public static string For(Guid empresaId, string channel, string address) => $"{empresaId:N}/{channel}/{address}";

    public static (Guid EmpresaId, string Channel, string Address) Parse(string key)
    {
        var parts = key.Split('/', 3);
        return (Guid.ParseExact(parts[0], "N"), parts[1], parts[2]);
    }
}

/// <param name="Type">inventario | venta | contexto | general; classified when null.</param>
/// <param name="Driver">A configured agent driver name (offline, openai); the empresa's default when null.</param>
[GenerateSerializer, Immutable, Alias("av.ChatTurn")]
public sealed record ChatTurn(
    [property: Id(0)] string Text,
    [property: Id(1)] Actor Actor,
    [property: Id(2)] string? Type = null,
    [property: Id(3)] string? Tone = null,
    [property: Id(4)] string? Instructions = null,
    [property: Id(5)] string? Driver = null,
    [property: Id(6)] string? CustomerPhone = null,
    [property: Id(7)] string? CustomerName = null);

[GenerateSerializer, Immutable, Alias("av.ChatReply")]
public sealed record ChatReply(
    [property: Id(0)] string Text,
    [property: Id(1)] string Type,
    [property: Id(2)] IReadOnlyList<ProductCard> Products,
    [property: Id(3)] CartView Cart,
    [property: Id(4)] string? Awaiting,
    [property: Id(5)] Guid? OrderId);

[GenerateSerializer, Immutable, Alias("av.ProductCard")]
public sealed record ProductCard(
    [property: Id(0)] Guid Id, [property: Id(1)] string Sku, [property: Id(2)] string Name,
    [property: Id(3)] decimal Price, [property: Id(4)] int Stock, [property: Id(5)] string? ImageUrl = null);

[GenerateSerializer, Immutable, Alias("av.CartView")]
public sealed record CartView([property: Id(0)] IReadOnlyList<CartLine> Items, [property: Id(1)] decimal Total);

[GenerateSerializer, Immutable, Alias("av.CartLine")]
public sealed record CartLine(
    [property: Id(0)] Guid ProductId, [property: Id(1)] string Sku, [property: Id(2)] string Name,
    [property: Id(3)] int Quantity, [property: Id(4)] decimal UnitPrice, [property: Id(5)] decimal Subtotal);

public static class ChatTypes
{
    public const string Inventory = "inventario";
    public const string Sale = "venta";
    public const string Context = "contexto";
    public const string General = "general";

    public static readonly IReadOnlyList<string> All = [Inventory, Sale, Context, General];
}
