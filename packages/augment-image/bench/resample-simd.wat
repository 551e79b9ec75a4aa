;; Bilinear affine resampling of 8-bit RGB with an optional colour matrix, one pixel at a time
;; (WebAssembly SIMD: a pixel's channels side by side in one vector): the same integer
;; arithmetic as `bilinearRgb8` in resample.ts (16.16 fixed-point source coordinates, 8-bit
;; weights), the colour map in f64 in the same order, so the bytes are equal. Each neighbour is
;; read as 4 bytes and each pixel written as 4 (without colour), so the caller leaves a byte
;; after the source and 4 after the output.
;; Not shipped: bench/candidates.ts compiles it and times it against src/internals/engine/js/
;; resample.wat (the scalar module, which is faster under V8) after checking the bytes are equal.
;;
;; bilinear(src, w, h, dst, W, H, rows, du, dv, f0, f1, f2, colour, m0..m8, b0..b2):
;;   rows holds (su, sv) per output row (i32 pairs): the source point of the row's first pixel;
;;   each next pixel adds (du, dv). Points outside [-1/2, w - 1/2] x [-1/2, h - 1/2] get the fill.
;;   With `colour` = 0 a channel is (sum + 32768) >> 16; else v = m . (r, g, b) + b (the 1/65536
;;   and the +1/2 folded in by the caller), written as trunc(clamp(v, 0, 255)) (what a JavaScript
;;   Uint8Array store of v <= 0 ? 0 : min(v, 255) gives).
(module
  (memory (export "memory") 1)
  (func (export "bilinear")
    (param $src i32) (param $w i32) (param $h i32) (param $dst i32) (param $W i32) (param $H i32)
    (param $rows i32) (param $du i32) (param $dv i32)
    (param $f0 i32) (param $f1 i32) (param $f2 i32) (param $colour i32)
    (param $m0 f64) (param $m1 f64) (param $m2 f64) (param $m3 f64) (param $m4 f64)
    (param $m5 f64) (param $m6 f64) (param $m7 f64) (param $m8 f64)
    (param $b0 f64) (param $b1 f64) (param $b2 f64)
    (local $x i32) (local $y i32) (local $su i32) (local $sv i32) (local $o i32)
    (local $x0 i32) (local $y0 i32) (local $fx i32) (local $fy i32)
    (local $xa i32) (local $xb i32) (local $ra i32) (local $rb i32)
    (local $w00 i32) (local $w10 i32) (local $w01 i32) (local $w11 i32)
    (local $sum v128) (local $lo v128) (local $hi v128) (local $half v128)
    (local $ma v128) (local $mb v128) (local $mc v128) (local $md v128) (local $me v128) (local $mf v128)
    (local $bo v128) (local $bh v128) (local $top v128) (local $zero v128)
    (local $stride i32) (local $maxU i32) (local $maxV i32) (local $lastX i32) (local $lastY i32)
    (local $fr v128) (local $fg v128) (local $fb v128)
    (local.set $stride (i32.mul (local.get $w) (i32.const 3)))
    (local.set $maxU (i32.sub (i32.shl (local.get $w) (i32.const 16)) (i32.const 32768)))
    (local.set $maxV (i32.sub (i32.shl (local.get $h) (i32.const 16)) (i32.const 32768)))
    (local.set $lastX (i32.sub (local.get $w) (i32.const 1)))
    (local.set $lastY (i32.sub (local.get $h) (i32.const 1)))
    (local.set $o (local.get $dst))
    (local.set $half (i32x4.splat (i32.const 32768)))
    (local.set $ma (f64x2.replace_lane 1 (f64x2.splat (local.get $m0)) (local.get $m3)))
    (local.set $mb (f64x2.replace_lane 1 (f64x2.splat (local.get $m1)) (local.get $m4)))
    (local.set $mc (f64x2.replace_lane 1 (f64x2.splat (local.get $m2)) (local.get $m5)))
    (local.set $md (f64x2.splat (local.get $m6)))
    (local.set $me (f64x2.splat (local.get $m7)))
    (local.set $mf (f64x2.splat (local.get $m8)))
    (local.set $bo (f64x2.replace_lane 1 (f64x2.splat (local.get $b0)) (local.get $b1)))
    (local.set $bh (f64x2.splat (local.get $b2)))
    (local.set $top (f64x2.splat (f64.const 255)))
    (local.set $zero (f64x2.splat (f64.const 0)))
    (local.set $y (i32.const 0))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_s (local.get $y) (local.get $H)))
        (local.set $su (i32.load (i32.add (local.get $rows) (i32.shl (local.get $y) (i32.const 3)))))
        (local.set $sv
          (i32.load (i32.add (local.get $rows) (i32.add (i32.shl (local.get $y) (i32.const 3)) (i32.const 4)))))
        (local.set $x (i32.const 0))
        (block $pixelsDone
          (loop $pixel
            (br_if $pixelsDone (i32.ge_s (local.get $x) (local.get $W)))
            (if
              (i32.or
                (i32.or
                  (i32.lt_s (local.get $su) (i32.const -32768))
                  (i32.lt_s (local.get $sv) (i32.const -32768)))
                (i32.or
                  (i32.gt_s (local.get $su) (local.get $maxU))
                  (i32.gt_s (local.get $sv) (local.get $maxV))))
              (then
                (i32.store8 (local.get $o) (local.get $f0))
                (i32.store8 offset=1 (local.get $o) (local.get $f1))
                (i32.store8 offset=2 (local.get $o) (local.get $f2)))
              (else
                (local.set $x0 (i32.shr_s (local.get $su) (i32.const 16)))
                (local.set $y0 (i32.shr_s (local.get $sv) (i32.const 16)))
                (local.set $fx (i32.and (i32.shr_s (local.get $su) (i32.const 8)) (i32.const 255)))
                (local.set $fy (i32.and (i32.shr_s (local.get $sv) (i32.const 8)) (i32.const 255)))
                (local.set $xa
                  (i32.mul
                    (select (local.get $x0) (i32.const 0) (i32.gt_s (local.get $x0) (i32.const 0)))
                    (i32.const 3)))
                (local.set $xb
                  (i32.mul
                    (select (local.get $lastX) (i32.add (local.get $x0) (i32.const 1))
                      (i32.ge_s (local.get $x0) (local.get $lastX)))
                    (i32.const 3)))
                (local.set $ra
                  (i32.mul
                    (select (local.get $y0) (i32.const 0) (i32.gt_s (local.get $y0) (i32.const 0)))
                    (local.get $stride)))
                (local.set $rb
                  (i32.mul
                    (select (local.get $lastY) (i32.add (local.get $y0) (i32.const 1))
                      (i32.ge_s (local.get $y0) (local.get $lastY)))
                    (local.get $stride)))
                ;; 8-bit weights: their products sum to 65536.
                (local.set $w00
                  (i32.mul (i32.sub (i32.const 256) (local.get $fx)) (i32.sub (i32.const 256) (local.get $fy))))
                (local.set $w10 (i32.mul (local.get $fx) (i32.sub (i32.const 256) (local.get $fy))))
                (local.set $w01 (i32.mul (i32.sub (i32.const 256) (local.get $fx)) (local.get $fy)))
                (local.set $w11 (i32.mul (local.get $fx) (local.get $fy)))
                ;; (r, g, b, next byte) of each neighbour as i32 lanes, weighted and summed:
                ;; lane c is sum_k p_k[c] w_k exactly (at most 255 * 65536).
                (local.set $sum
                  (i32x4.add
                    (i32x4.add
                      (i32x4.mul
                        (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
                          (v128.load32_zero (i32.add (local.get $src) (i32.add (local.get $ra) (local.get $xa))))))
                        (i32x4.splat (local.get $w00)))
                      (i32x4.mul
                        (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
                          (v128.load32_zero (i32.add (local.get $src) (i32.add (local.get $ra) (local.get $xb))))))
                        (i32x4.splat (local.get $w10))))
                    (i32x4.add
                      (i32x4.mul
                        (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
                          (v128.load32_zero (i32.add (local.get $src) (i32.add (local.get $rb) (local.get $xa))))))
                        (i32x4.splat (local.get $w01)))
                      (i32x4.mul
                        (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u
                          (v128.load32_zero (i32.add (local.get $src) (i32.add (local.get $rb) (local.get $xb))))))
                        (i32x4.splat (local.get $w11))))))
                (if (local.get $colour)
                  (then
                    ;; (r, r), (g, g), (b, b) as f64 pairs; lanes (0, 1) compute output red and
                    ;; green, $hi (lane 0) blue, each as ((m r + m g) + m b) + offset, the scalar order.
                    (local.set $fr (f64x2.convert_low_i32x4_s
                      (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 0 1 2 3 (local.get $sum) (local.get $sum))))
                    (local.set $fg (f64x2.convert_low_i32x4_s
                      (i8x16.shuffle 4 5 6 7 4 5 6 7 4 5 6 7 4 5 6 7 (local.get $sum) (local.get $sum))))
                    (local.set $fb (f64x2.convert_low_i32x4_s
                      (i8x16.shuffle 8 9 10 11 8 9 10 11 8 9 10 11 8 9 10 11 (local.get $sum) (local.get $sum))))
                    (local.set $lo
                      (i32x4.trunc_sat_f64x2_u_zero
                        (f64x2.max
                          (f64x2.min
                            (f64x2.add
                              (f64x2.add
                                (f64x2.add
                                  (f64x2.mul (local.get $ma) (local.get $fr))
                                  (f64x2.mul (local.get $mb) (local.get $fg)))
                                (f64x2.mul (local.get $mc) (local.get $fb)))
                              (local.get $bo))
                            (local.get $top))
                          (local.get $zero))))
                    (local.set $hi
                      (i32x4.trunc_sat_f64x2_u_zero
                        (f64x2.max
                          (f64x2.min
                            (f64x2.add
                              (f64x2.add
                                (f64x2.add
                                  (f64x2.mul (local.get $md) (local.get $fr))
                                  (f64x2.mul (local.get $me) (local.get $fg)))
                                (f64x2.mul (local.get $mf) (local.get $fb)))
                              (local.get $bh))
                            (local.get $top))
                          (local.get $zero))))
                    (v128.store8_lane 0 (local.get $o) (local.get $lo))
                    (v128.store8_lane offset=1 4 (local.get $o) (local.get $lo))
                    (v128.store8_lane offset=2 0 (local.get $o) (local.get $hi)))
                  (else
                    ;; (sum + 1/2) >> 16 per lane; four bytes stored, the fourth overwritten by
                    ;; the next pixel (the caller leaves 4 bytes after the output).
                    (v128.store32_lane 0 (local.get $o)
                      (i8x16.shuffle 0 4 8 12 0 0 0 0 0 0 0 0 0 0 0 0
                        (i32x4.shr_s (i32x4.add (local.get $sum) (local.get $half)) (i32.const 16))
                        (local.get $sum)))))))
            (local.set $su (i32.add (local.get $su) (local.get $du)))
            (local.set $sv (i32.add (local.get $sv) (local.get $dv)))
            (local.set $o (i32.add (local.get $o) (i32.const 3)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $pixel)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $row))))
)
