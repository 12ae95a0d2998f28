namespace AgenteVendedor.Conversations.Offline;

/// <summary>What a product reference in a message points to.</summary>
public abstract record Target
{
    /// <summary>A product of the session (shown, in the cart, in focus, on offer).</summary>
    public sealed record Product(Guid Id) : Target;

    /// <summary>Words that name a product not in the session: the catalog is searched for them.</summary>
    public sealed record Named(string Query) : Target;

    /// <summary>Several products of the session fit the words equally: the customer has to choose.</summary>
    public sealed record Either(IReadOnlyList<Guid> Ids) : Target;

    /// <summary>Nothing to point to ("dame dos" with nothing shown).</summary>
    public sealed record Nothing : Target;
}

/// <summary>One thing a customer's message asks for; a message may carry several, in order.</summary>
public abstract record Act
{
    /// <summary>Greetings, thanks, praise, farewells: talk to answer in kind.</summary>
    public sealed record Chat(bool Greeting, bool Thanks, bool Farewell) : Act;

    public sealed record HandOff : Act;

    /// <summary>Empty the cart and drop the order in progress.</summary>
    public sealed record Cancel : Act;

    /// <summary>Close the order: collect what is missing, show it, ask to confirm.</summary>
    public sealed record Checkout : Act;

    /// <summary>Yes to "¿Confirmas el pedido?": place it.</summary>
    public sealed record Confirm : Act;

    /// <summary>No to what the agent asked (the order to confirm, an offer).</summary>
    public sealed record Decline : Act;

    /// <summary>Units into the cart; Quantity null = one, or what the customer said before choosing.</summary>
    public sealed record Add(Target Target, int? Quantity) : Act
    {
        /// <summary>The number was "un par": one unit of what is sold in pairs (shoes, socks), two of anything else.</summary>
        public bool Pair { get; init; }
    }

    /// <summary>As many units as there are in stock (or on offer).</summary>
    public sealed record AddAvailable(Target Target) : Act;

    /// <summary>A cart line's units become Quantity ("mejor ponme 4").</summary>
    public sealed record SetQuantity(Target Target, int Quantity) : Act;

    /// <summary>A cart line replaced by another product ("mejor el azul").</summary>
    public sealed record Replace(Target Old, Target New) : Act;

    public sealed record Remove(Target Target) : Act;

    public sealed record AskPrice(Target Target) : Act;

    public sealed record AskStock(Target Target) : Act;

    /// <summary>Show one product and make it the one in focus, without adding it ("¿cuál es el más barato?").</summary>
    public sealed record Show(Target Target) : Act;

    /// <summary>A question about a product, answered from its own description.</summary>
    public sealed record AskAbout(Target Target, IReadOnlyList<string> Topic, string Question) : Act;

    public sealed record AskTotal : Act;

    public sealed record ShowCart : Act;

    /// <summary>Products for words; MaxPrice from "hasta 50 mil"; Cheapest orders by price.</summary>
    public sealed record Search(string Query, decimal? MaxPrice, bool Cheapest) : Act;

    /// <summary>An empresa question (hours, delivery, payment): Entry is the FAQ entry that answers it, or -1.</summary>
    public sealed record Faq(int Entry, string Question) : Act;

    /// <summary>Nothing in it could be read.</summary>
    public sealed record Unclear : Act;
}
