namespace AgenteVendedor.Conversations;

/// <summary>A chat's session, persisted with Orleans grain storage (binary serializer: keep the [Id]s).</summary>
[GenerateSerializer, Alias("av.ConversationState")]
public sealed class ConversationState
{
    [Id(0)] public bool Started { get; set; }
    [Id(1)] public DateTime StartedAt { get; set; }
    [Id(2)] public List<CartItem> Cart { get; set; } = [];
    [Id(3)] public string? CustomerName { get; set; }
    [Id(4)] public string? CustomerPhone { get; set; }
    [Id(5)] public string? CustomerAddress { get; set; }

    /// <summary>What the agent asked for and waits for: nombre, telefono, direccion, confirmacion.</summary>
    [Id(6)] public string? Awaiting { get; set; }

    /// <summary>The products shown last, in the order shown ("el más barato", "ese").</summary>
    [Id(7)] public List<Guid> Shown { get; set; } = [];

    /// <summary>The product the customer is talking about ("quiero 2 de esos").</summary>
    [Id(8)] public Guid? Focus { get; set; }

    /// <summary>An offer made when stock was short ("¿quieres las 3?").</summary>
    [Id(9)] public CartItem? Offer { get; set; }

    [Id(10)] public List<TurnRecord> Turns { get; set; } = [];
    [Id(11)] public bool Handoff { get; set; }
    [Id(12)] public List<Guid> Orders { get; set; } = [];
    [Id(13)] public DateTime LastInboundAt { get; set; }

    /// <summary>The conversation's public id (GET /conversaciones/{id}); for /chat it is the conversacion_id.</summary>
    [Id(14)] public Guid ConversationId { get; set; }

    /// <summary>What the agent's last reply asked (offline driver): cual, agregar, mas, alternativa, persona.</summary>
    [Id(15)] public string? Asked { get; set; }

    /// <summary>Units the customer asked for before choosing which product ("quiero 3 celulares" → which one?).</summary>
    [Id(16)] public int? PendingQuantity { get; set; }

    /// <summary>A cart line whose one unit was assumed (a product chosen without a number): "dame 2" next sets it to 2.</summary>
    [Id(17)] public Guid? ImplicitLine { get; set; }

    /// <summary>The words of the last catalog search (offline driver), for "¿cuál es el más barato?" over all it found.</summary>
    [Id(18)] public string? LastQuery { get; set; }

    // 40+: the WhatsApp catalog's members (kept apart from the numbers other features add).

    /// <summary>The cart came from the WhatsApp catalog and awaits the customer's yes or no (answered without the agent driver).</summary>
    [Id(40)] public bool CatalogCartPending { get; set; }

    /// <summary>The cart's content as last seen (product:units, sorted), null when empty; a change is a new cart.</summary>
    [Id(41)] public string? CartFingerprint { get; set; }

    /// <summary>Counts the carts this chat has had; <see cref="RemindedCart"/> is the one that got its abandoned-cart reminder.</summary>
    [Id(42)] public int CartVersion { get; set; }

    [Id(43)] public int RemindedCart { get; set; }

    [Id(44)] public DateTime CartChangedAt { get; set; }
}

[GenerateSerializer, Alias("av.CartItem")]
public sealed class CartItem
{
    [Id(0)] public Guid ProductId { get; set; }
    [Id(1)] public int Quantity { get; set; }
}

[GenerateSerializer, Alias("av.TurnRecord")]
public sealed class TurnRecord
{
    [Id(0)] public string Role { get; set; } = "";
    [Id(1)] public string Text { get; set; } = "";
    [Id(2)] public DateTime At { get; set; }
}

public static class Awaiting
{
    public const string Name = "nombre";
    public const string Phone = "telefono";
    public const string Address = "direccion";
    public const string Confirmation = "confirmacion";
}
