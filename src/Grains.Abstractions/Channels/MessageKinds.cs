namespace AgenteVendedor.Channels;

/// <summary>
/// What kind of message a customer sent, as stored with it (inbound_messages.kind, messages.kind) and
/// shown as <c>tipo</c>. Button and list replies are texto: the agent reads their titles as words.
/// </summary>
public static class MessageKinds
{
    public const string Text = "texto";
    public const string Image = "imagen";
    public const string Audio = "audio";
    public const string Video = "video";
    public const string Document = "documento";
    public const string Sticker = "sticker";
    public const string Reaction = "reaccion";
    public const string Location = "ubicacion";
    public const string Order = "pedido";

    /// <summary>A kind the platform has and we do not read (e.g. WhatsApp's <c>system</c>, <c>contacts</c>): stored, shown, not answered.</summary>
    public const string Other = "otro";

    public static readonly IReadOnlyList<string> All = [Text, Image, Audio, Video, Document, Sticker, Reaction, Location, Order, Other];

    /// <summary>inbound_messages.payload holds the platform's object for the kind; one larger than this is not kept.</summary>
    public const int MaxPayloadLength = 16_384;
}
