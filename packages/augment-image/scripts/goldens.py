#!/usr/bin/python3
"""Golden outputs from OpenCV for the pixel checks of @growset/augment-image.

Run from the package folder with Debian's Python (OpenCV 4.6, numpy):

    /usr/bin/python3 scripts/goldens.py

It writes test/golden/opencv.generated.json: for each case, the input image (a small synthetic
picture, so the test suite needs no Python), the parameters and OpenCV's output. The
tests compare growset's output with a tolerance stated next to each case in
test/helpers/pixel-checks.ts.
"""
import json
import os

import cv2
import numpy as np

H, W = 16, 24


def smooth_rgb():
    """Smooth gradients plus a bright square: blur and compression differences stay measurable."""
    y, x = np.mgrid[0:H, 0:W].astype(np.float64)
    img = np.zeros((H, W, 3), np.float64)
    img[..., 0] = 128 + 90 * np.sin(x / 3.0) * np.cos(y / 4.0)
    img[..., 1] = 40 + 7 * x + 2 * y
    img[..., 2] = 200 - 6 * y
    img[4:9, 10:16, :] = [250, 30, 120]
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def skewed_rgb():
    """Values crowded into a narrow band (what equalization, autocontrast and CLAHE spread)."""
    y, x = np.mgrid[0:H, 0:W]
    img = np.zeros((H, W, 3), np.uint8)
    img[..., 0] = 90 + (x * 3 + y) % 40
    img[..., 1] = 100 + (x * y) % 23
    img[..., 2] = 60 + ((x // 4) * 7 + y * 2) % 50
    return img


M_RGB_XYZ = np.array([[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169], [0.019334, 0.119193, 0.950227]])
WHITE = np.array([0.950456, 1.0, 1.088754])


def rgb_to_lab(rgb):
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = lin @ M_RGB_XYZ.T / WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16.0 / 116.0)
    y = xyz[..., 1]
    L = np.where(y > 0.008856, 116.0 * np.cbrt(y) - 16.0, 903.3 * y)
    return np.stack([L, 500.0 * (f[..., 0] - f[..., 1]), 200.0 * (f[..., 1] - f[..., 2])], axis=-1)


def lab_to_rgb(lab):
    L, a, b = lab[..., 0], lab[..., 1], lab[..., 2]
    fy = (L + 16.0) / 116.0
    y = np.where(L > 7.9996, fy ** 3, L / 903.3)
    finv = lambda t: np.where(t > 0.206893, t ** 3, (t - 16.0 / 116.0) / 7.787)
    xyz = np.stack([finv(fy + a / 500.0), y, finv(fy - b / 200.0)], axis=-1) * WHITE
    lin = xyz @ np.linalg.inv(M_RGB_XYZ).T
    lin = np.clip(lin, 0, None)
    return np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin ** (1 / 2.4) - 0.055)


def case(name, image, params, output, note):
    return {
        "name": name,
        "note": note,
        "width": int(image.shape[1]),
        "height": int(image.shape[0]),
        "channels": int(image.shape[2]),
        "input": image.reshape(-1).tolist(),
        "params": params,
        "output": output.reshape(-1).tolist(),
    }


def main():
    smooth = smooth_rgb()
    skewed = skewed_rgb()
    cases = []

    sigma = 1.2
    blurred = cv2.GaussianBlur(smooth, (0, 0), sigmaX=sigma, sigmaY=sigma, borderType=cv2.BORDER_REPLICATE)
    cases.append(case("gaussianBlur", smooth, {"sigma": sigma}, blurred,
                      "cv2.GaussianBlur(ksize=(0,0), sigma, BORDER_REPLICATE)"))

    eq = np.stack([cv2.equalizeHist(np.ascontiguousarray(skewed[..., c])) for c in range(3)], axis=-1)
    cases.append(case("equalize", skewed, {}, eq, "cv2.equalizeHist per channel"))

    quality = 50
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(smooth, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    jpeg = cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    cases.append(case("jpegCompression", smooth, {"quality": quality}, jpeg,
                      "cv2.imencode('.jpg', quality) then cv2.imdecode"))

    ok, buf = cv2.imencode(".webp", cv2.cvtColor(smooth, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_WEBP_QUALITY, quality])
    assert ok
    webp = cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    cases.append(case("webpCompression", smooth, {"quality": quality}, webp,
                      "cv2.imencode('.webp', quality) then cv2.imdecode"))

    clip, tiles = 2.0, (3, 2)
    clahe = cv2.createCLAHE(clipLimit=clip, tileGridSize=tiles)
    lab = cv2.cvtColor(skewed, cv2.COLOR_RGB2LAB)
    lab[..., 0] = clahe.apply(np.ascontiguousarray(lab[..., 0]))
    clahed = cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)
    cases.append(case("clahe", skewed, {"clipLimit": clip, "tileGrid": [tiles[0], tiles[1]]}, clahed,
                      "albumentations' CLAHE: cv2.createCLAHE(clipLimit, tileGridSize=(3, 2)) on L of cv2 LAB"))

    # The same on the exact CIE L*a*b* (sRGB transfer function, D65; OpenCV's float conversion
    # approximates the transfer function by a spline), L* quantized to 8-bit levels by rounding,
    # as growset converts: isolates CLAHE and the colour conversion from LAB rounding.
    lab = rgb_to_lab(skewed.astype(np.float64) / 255.0)
    l8 = np.clip(np.rint(lab[..., 0] * 255.0 / 100.0), 0, 255).astype(np.uint8)
    lab[..., 0] = clahe.apply(l8).astype(np.float64) * 100.0 / 255.0
    clahe_exact = np.clip(np.rint(lab_to_rgb(lab) * 255.0), 0, 255).astype(np.uint8)
    cases.append(case("claheExactLab", skewed, {"clipLimit": clip, "tileGrid": [tiles[0], tiles[1]]}, clahe_exact,
                      "cv2.createCLAHE on round(2.55 L*) of the exact sRGB -> CIE L*a*b* (D65), and back"))

    grey_l = np.ascontiguousarray(skewed[..., 0])
    cases.append(case("claheGrey", grey_l[..., None], {"clipLimit": clip, "tileGrid": [tiles[0], tiles[1]]},
                      clahe.apply(grey_l)[..., None], "cv2.createCLAHE(clipLimit, tileGridSize=(3, 2)).apply"))

    angle = 30.0
    m = cv2.getRotationMatrix2D(((W - 1) / 2.0, (H - 1) / 2.0), angle, 1.0)
    rotated = cv2.warpAffine(smooth, m, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    cases.append(case("rotate", smooth, {"angle": angle}, rotated,
                      "cv2.warpAffine(getRotationMatrix2D(((W-1)/2, (H-1)/2), angle, 1), INTER_LINEAR, constant 0)"))

    k = 0.3
    cam = np.array([[float(W), 0, W / 2.0 - 0.5], [0, float(H), H / 2.0 - 0.5], [0, 0, 1]], np.float64)
    dist = np.array([k, k, 0, 0, 0], np.float64)
    mapx, mapy = cv2.initUndistortRectifyMap(cam, dist, None, cam, (W, H), cv2.CV_32FC1)
    optical = cv2.remap(smooth, mapx, mapy, interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    cases.append(case("opticalDistortion", smooth, {"k": k, "dx": 0, "dy": 0}, optical,
                      "albumentations' OpticalDistortion (fx=W, fy=H, k1=k2=k, centre the image centre): "
                      "cv2.initUndistortRectifyMap + cv2.remap INTER_LINEAR, constant 0"))

    out = os.path.join(os.path.dirname(__file__), "..", "test", "golden", "opencv.generated.json")
    with open(out, "w") as f:
        json.dump({"generator": "scripts/goldens.py", "opencv": cv2.__version__, "cases": cases}, f)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
