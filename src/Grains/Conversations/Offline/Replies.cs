using System.Globalization;
using System.Text;
using AgenteVendedor.Catalog;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// Everything the offline agent says, in tú or usted by the empresa's tone, filled only with catalog
/// and cart figures. Kept apart from the logic that decides what to say.
/// </summary>
public sealed class Replies(AgentSettings settings)
{
    private string T(string informal, string formal) => settings.Formal ? formal : informal;

    public string Money(decimal amount) => settings.Money(amount);

    public string Hello(bool alone) => settings.Formal
        ? $"Buen día, le habla {settings.AgentName} de {settings.EmpresaName}." + (alone ? " ¿Qué producto busca?" : "")
        : $"¡Hola! Soy {settings.AgentName} de {settings.EmpresaName}." + (alone ? " ¿Qué producto buscas?" : "");

    public string YouAreWelcome(bool alone) => alone ? T("¡Con gusto! Aquí estoy si necesitas algo más.", "¡Con gusto! Aquí estoy si necesita algo más.") : "¡Con gusto!";

    public string Goodbye => T("¡Gracias por escribirnos! Que estés muy bien.", "¡Gracias por escribirnos! Que esté muy bien.");

    public string HandOff => T($"Te comunico con un asesor de {settings.EmpresaName}; en breve te responde una persona.",
        $"Le comunico con un asesor de {settings.EmpresaName}; en breve le responde una persona.");

    public string Cancelled => T("Listo, cancelé el pedido y vacié tu carrito. ¿Te ayudo con algo más?", "Listo, cancelé el pedido y vacié su carrito. ¿Le ayudo con algo más?");

    public string NothingToCancel => T("No tienes ningún pedido en curso. ¿Te ayudo con algo?", "No tiene ningún pedido en curso. ¿Le ayudo con algo?");

    public string EmptyCart => T("Tu carrito está vacío. ¿Qué producto buscas?", "Su carrito está vacío. ¿Qué producto busca?");

    public string AskName => T("Para confirmar tu pedido, ¿a nombre de quién lo hacemos?", "Para confirmar su pedido, ¿a nombre de quién lo hacemos?");

    public string AskNameAgain => "¿A nombre de quién hacemos el pedido?";

    public string AskPhone => T("¿A qué número de teléfono te contactamos?", "¿A qué número de teléfono lo contactamos?");

    public string BadPhone => T("Ese número no parece un teléfono. Escríbelo con indicativo, por ejemplo +57 300 123 4567.",
        "Ese número no parece un teléfono. Escríbalo con indicativo, por ejemplo +57 300 123 4567.");

    public string AskAddress => "¿Cuál es la dirección de entrega?";

    public string AskFullAddress => "¿Cuál es la dirección de entrega completa?";

    public string Summary(CartView cart, string? name, string? phone, string? address) =>
        CartText(T("Tu pedido:", "Su pedido:"), cart)
        + $"\nA nombre de {name}, teléfono {phone}, entrega en {address}.\n"
        + T("¿Confirmas el pedido? (sí/no)", "¿Confirma el pedido? (sí/no)");

    public string NotConfirmed => T("De acuerdo, no lo confirmo. ¿Quieres cambiar algo del pedido?", "De acuerdo, no lo confirmo. ¿Desea cambiar algo del pedido?");

    public string Declined => T("Listo. ¿Te ayudo con algo más?", "Listo. ¿Le ayudo con algo más?");

    public string Placed(string number, decimal total, string? phone) =>
        $"¡Pedido confirmado! Número {number}, total {Money(total)}. {T("Te", "Lo")} contactaremos al {phone} para la entrega. ¡Gracias por tu compra!";

    /// <summary>The empresa confirms chat orders itself: the order is taken and its units kept, but not confirmed yet.</summary>
    public string PlacedPending(string number, decimal total, string? phone) =>
        $"¡Pedido recibido! Número {number}, total {Money(total)}. Ya {T("te", "le")} separamos los productos; el equipo lo revisa, "
        + $"lo confirma y {T("te", "lo")} contactaremos al {phone} para la entrega. ¡Gracias por tu compra!";

    public string SoldMeanwhile(Product product, int available, decimal total) => available > 0
        ? $"Mientras confirmábamos se vendieron unidades de {product.Name}: ahora quedan {available} disponibles. {T("¿Quieres", "¿Desea")} llevar las {available}?"
        : $"Lo siento, {product.Name} se agotó mientras confirmábamos. Lo quité del carrito (antes sumaba {Money(total)}).";

    public string NotPlaced(string? why) => $"No pude confirmar el pedido: {why}";

    public string Added(int quantity, Product product, decimal cartTotal) =>
        $"Agregué {quantity} × {product.Name} ({Money(product.Price)} c/u). {T("Tu", "Su")} carrito suma {Money(cartTotal)}.";

    public string Updated(int quantity, Product product, decimal cartTotal) =>
        $"Listo, quedan {quantity} × {product.Name} ({Money(product.Price)} c/u). {T("Tu", "Su")} carrito suma {Money(cartTotal)}.";

    public string MoreOrClose => T("¿Quieres algo más o confirmamos el pedido?", "¿Desea algo más o confirmamos el pedido?");

    public string SoldOut(Product product) => $"Lo siento, no nos quedan unidades de {product.Name}. ¿Busco una alternativa?";

    public string OnlySome(Product product, int available) =>
        $"Solo tenemos {available} unidad(es) de {product.Name} ({Money(product.Price)} c/u). {T($"¿Quieres llevar las {available}?", $"¿Desea llevar las {available}?")}";

    public string NotForSale => "Ese producto ya no está a la venta. ¿Busco otro?";

    public string WhichProduct => T("¿Qué producto quieres? Cuéntame cuál y te digo precio y disponibilidad.", "¿Qué producto desea? Indíqueme cuál y le informo precio y disponibilidad.");

    public string Removed(string name, decimal total) => $"Quité {name} del carrito. Ahora suma {Money(total)}.";

    public string NotInCart => T("No encontré ese producto en tu carrito.", "No encontré ese producto en su carrito.");

    public string CartView(CartView cart) => cart.Items.Count == 0 ? T("Tu carrito está vacío.", "Su carrito está vacío.") : CartText(T("Tu carrito:", "Su carrito:"), cart);

    public string Total(CartView cart) => cart.Items.Count == 0
        ? T("Tu carrito está vacío.", "Su carrito está vacío.")
        : CartText(T("Tu pedido va así:", "Su pedido va así:"), cart);

    public string Options(IReadOnlyList<Product> products, decimal? maxPrice)
    {
        var text = new StringBuilder(products.Count == 1 ? "Tenemos esta opción" : $"Tenemos {products.Count} opciones");
        text.Append(maxPrice is null ? ":\n" : $" hasta {Money(maxPrice.Value)}:\n");
        text.Append(Lines(products));
        return text.ToString();
    }

    public string WhichOne => T("¿Cuál te interesa?", "¿Cuál le interesa?");

    public string HowMany => T("¿Cuántas unidades quieres?", "¿Cuántas unidades desea?");

    public string Closest(string query, IReadOnlyList<Product> products) => $"No encontré exactamente «{query}». Lo más parecido que tenemos:\n" + Lines(products);

    public string NothingFor(string query) => T($"No encontré productos para «{query}». ¿Me lo describes de otra forma?", $"No encontré productos para «{query}». ¿Me lo describe de otra forma?");

    public string Describe(Product product) => $"{product.Name}: {Money(product.Price)} ({Stock(product)}).";

    public string PriceOf(Product product) => $"{product.Name} cuesta {Money(product.Price)} ({Stock(product)}).";

    public string StockOf(Product product) => product.Stock > 0
        ? $"De {product.Name} nos quedan {product.Stock} unidades ({Money(product.Price)} c/u)."
        : $"De {product.Name} no nos quedan unidades en este momento.";

    public string FromDescription(Product product, IReadOnlyList<string> sentences) =>
        $"Sobre {product.Name}, la descripción dice: «{string.Join(" ", sentences)}»";

    public string DescriptionSilent(Product product) =>
        T($"La descripción de {product.Name} no dice eso y no quiero inventarte. ¿Quieres que te comunique con una persona del equipo?",
            $"La descripción de {product.Name} no dice eso y no quiero inventarle. ¿Desea que le comunique con una persona del equipo?");

    public string FaqUnknown => T("No tengo ese dato a mano. ¿Quieres que te comunique con una persona del equipo?", "No tengo ese dato a mano. ¿Desea que le comunique con una persona del equipo?");

    public string Unclear(bool cartHasItems) => cartHasItems
        ? T("No te entendí bien. ¿Quieres agregar algo más o confirmamos el pedido?", "No le entendí bien. ¿Desea agregar algo más o confirmamos el pedido?")
        : T("No te entendí bien. ¿Qué producto buscas?", "No le entendí bien. ¿Qué producto busca?");

    /// <summary>"Tu pedido:\n- 3 × Brocha: $20.700\nTotal: $20.700" — the cart's lines and total, priced now.</summary>
    public string CartText(string heading, CartView cart)
    {
        var text = new StringBuilder(heading).Append('\n');
        foreach (var line in cart.Items)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {line.Quantity} × {line.Name}: {Money(line.Subtotal)}\n");
        }

        return text.Append(CultureInfo.InvariantCulture, $"Total: {Money(cart.Total)}").ToString();
    }

    private string Lines(IReadOnlyList<Product> products) =>
        string.Join("\n", products.Select((p, i) => $"{i + 1}. {p.Name} — {Money(p.Price)} ({Stock(p)})"));

    private static string Stock(Product p) => p.Stock > 0 ? $"{p.Stock} disponibles" : "agotado";
}
