using System.Buffers.Binary;
using System.IO.Compression;

namespace GistNotebooks.Reporting.Tests.Charts;

/// <summary>
/// The pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes), decoded by hand (IDAT through zlib,
/// then the five row filters of the PNG specification, section 9), so a test can ask where the ink is.
/// </summary>
internal sealed class PngPixels
{
    private readonly byte[] pixels;
    private readonly int channels;

    private PngPixels(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        this.channels = channels;
        this.pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public static PngPixels Decode(byte[] png)
    {
        var width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));
        var height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4));
        var (depth, colour, interlace) = (png[24], png[25], png[28]);
        if (depth != 8 || colour is not (2 or 6) || interlace != 0)
        {
            throw new NotSupportedException($"PNG with depth {depth}, colour type {colour}, interlace {interlace}");
        }

        var channels = colour == 6 ? 4 : 3;
        using var compressed = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at, 4));
            if (System.Text.Encoding.ASCII.GetString(png, at + 4, 4) == "IDAT")
            {
                compressed.Write(png, at + 8, length);
            }

            at += 12 + length;
        }

        compressed.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var stride = width * channels;
        var result = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var source = raw.AsSpan((y * (stride + 1)) + 1, stride);
            for (var x = 0; x < stride; x++)
            {
                int left = x >= channels ? result[(y * stride) + x - channels] : 0;
                int up = y > 0 ? result[((y - 1) * stride) + x] : 0;
                int upLeft = x >= channels && y > 0 ? result[((y - 1) * stride) + x - channels] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new NotSupportedException($"PNG row filter {filter}"),
                };
                result[(y * stride) + x] = (byte)(source[x] + predictor);
            }
        }

        return new PngPixels(width, height, channels, result);
    }

    /// <summary>Whether the pixel is drawn on: opaque and darker than light grey (grid lines and bands are lighter).</summary>
    public bool IsInk(int x, int y)
    {
        var at = ((y * Width) + x) * channels;
        var alpha = channels == 4 ? pixels[at + 3] : 255;
        return alpha > 128 && (pixels[at] + pixels[at + 1] + pixels[at + 2]) / 3 < 160;
    }

    /// <summary>The number of ink pixels in the columns [<paramref name="fromX"/>, <paramref name="toX"/>).</summary>
    public int InkInColumns(int fromX, int toX)
    {
        var count = 0;
        for (var y = 0; y < Height; y++)
        {
            for (var x = fromX; x < toX; x++)
            {
                count += IsInk(x, y) ? 1 : 0;
            }
        }

        return count;
    }

    /// <summary>The number of opaque pixels within <paramref name="tolerance"/> of the colour in each channel.</summary>
    public int CountColour(byte red, byte green, byte blue, int tolerance = 8)
    {
        var count = 0;
        for (var at = 0; at < pixels.Length; at += channels)
        {
            var opaque = channels == 3 || pixels[at + 3] > 200;
            count += opaque && Math.Abs(pixels[at] - red) <= tolerance && Math.Abs(pixels[at + 1] - green) <= tolerance && Math.Abs(pixels[at + 2] - blue) <= tolerance ? 1 : 0;
        }

        return count;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
