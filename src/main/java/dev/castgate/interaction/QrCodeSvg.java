package dev.castgate.interaction;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code as inline SVG, drawn on the server: the pages run no script, and their CSP allows
 * no image but the server's own, so the code is part of the page. Only numbers and path commands
 * go into the markup, never the encoded text itself.
 */
public final class QrCodeSvg {
    /** The quiet zone around the code, in modules (ISO/IEC 18004 asks for four). */
    private static final int BORDER = 4;

    private QrCodeSvg() {}

    /** An {@code <svg>} element of the QR code of {@code text}, with medium error correction. */
    public static String of(String text) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size + 2 * BORDER;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size + "\" shape-rendering=\"crispEdges\" aria-hidden=\"true\">"
                + "<rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#fff\"/>"
                + "<path d=\"" + path + "\" fill=\"#000\"/></svg>";
    }
}
